#include "model/SafetensorsHeader.h"

#include "util/Error.h"
#include "util/Hash.h"
#include "util/InputLimits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <string_view>

namespace idgen {
namespace {

// The reference implementation refuses headers above 100 MB; a larger one means a corrupt length.
constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct DtypeSize {
    const char *name;
    std::size_t bytes;
};

constexpr DtypeSize kDtypeSizes[] = {
    {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},
    {"I32", 4}, {"I16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1},
};

[[noreturn]] void fail(const std::filesystem::path &file, const std::string &field, const std::string &problem)
{
    throw InputError(file.string(), 0, field, problem);
}

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// A non-negative JSON integer, or nullopt.
std::optional<std::uint64_t> unsignedOf(const nlohmann::json &value)
{
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(value.get<std::int64_t>());
    return std::nullopt;
}

SafetensorsEntry parseEntry(const std::filesystem::path &file, const std::string &name, const nlohmann::json &value,
                            std::uint64_t dataSize)
{
    if (!value.is_object())
        fail(file, name, "header entry is not a JSON object");
    SafetensorsEntry entry;
    entry.name = name;

    const auto dtype = value.find("dtype");
    if (dtype == value.end() || !dtype->is_string())
        fail(file, name, "missing or non-string \"dtype\"");
    entry.dtype = dtype->get<std::string>();
    const auto elementSize = safetensorsElementSize(entry.dtype);
    if (!elementSize)
        fail(file, name, "unsupported dtype \"" + entry.dtype + "\"");

    const auto shape = value.find("shape");
    if (shape == value.end() || !shape->is_array())
        fail(file, name, "missing or non-array \"shape\"");
    std::uint64_t elements = 1;
    for (const auto &dim : *shape) {
        const auto size = unsignedOf(dim);
        if (!size || *size > static_cast<std::uint64_t>(INT64_MAX))
            fail(file, name, "shape " + shape->dump() + " has a dimension that is not a non-negative integer");
        if (__builtin_mul_overflow(elements, *size, &elements))
            fail(file, name, "shape " + shape->dump() + " overflows");
        entry.shape.push_back(static_cast<std::int64_t>(*size));
    }

    const auto offsets = value.find("data_offsets");
    if (offsets == value.end() || !offsets->is_array() || offsets->size() != 2 || !unsignedOf((*offsets)[0]) ||
        !unsignedOf((*offsets)[1]))
        fail(file, name, "\"data_offsets\" must be two non-negative integers");
    entry.begin = *unsignedOf((*offsets)[0]);
    entry.end = *unsignedOf((*offsets)[1]);
    if (entry.begin > entry.end)
        fail(file, name, "data_offsets " + offsets->dump() + " end before they begin");
    if (entry.end > dataSize)
        fail(file, name,
             "data_offsets " + offsets->dump() + " reach past the end of the data (" + std::to_string(dataSize) +
                 " bytes; the file is truncated or corrupt)");
    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(elements, *elementSize, &bytes) || bytes != entry.end - entry.begin)
        fail(file, name,
             "data_offsets " + offsets->dump() + " span " + std::to_string(entry.end - entry.begin) + " bytes but " +
                 entry.dtype + " " + shapeText(entry.shape) + " needs " + std::to_string(bytes));
    return entry;
}

} // namespace

std::optional<std::size_t> safetensorsElementSize(const std::string &dtype)
{
    for (const auto &known : kDtypeSizes)
        if (dtype == known.name)
            return known.bytes;
    return std::nullopt;
}

SafetensorsHeader::SafetensorsHeader(std::filesystem::path path)
    : m_path(std::move(path))
{
    std::error_code ec;
    const std::uint64_t fileSize = std::filesystem::file_size(m_path, ec);
    if (ec)
        fail(m_path, "", "cannot read: " + ec.message());
    std::ifstream in(m_path, std::ios::binary);
    if (!in)
        fail(m_path, "", "cannot open for reading");
    if (fileSize < 8)
        fail(m_path, "header", "file is shorter than the 8-byte header length; not a safetensors file");
    unsigned char lengthBytes[8];
    in.read(reinterpret_cast<char *>(lengthBytes), 8);
    std::uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | lengthBytes[i];
    if (headerSize > fileSize - 8)
        fail(m_path, "header",
             "header length " + std::to_string(headerSize) + " exceeds the file size (" + std::to_string(fileSize) +
                 " bytes); not a safetensors file, or truncated");
    if (headerSize > kMaxHeaderBytes)
        fail(m_path, "header", "header length " + std::to_string(headerSize) + " is implausibly large");
    std::string headerText(headerSize, '\0');
    in.read(headerText.data(), static_cast<std::streamsize>(headerSize));
    if (!in)
        fail(m_path, "header", "cannot read the header");
    m_dataStart = 8 + headerSize;
    const std::uint64_t dataSize = fileSize - m_dataStart;

    // nlohmann keeps the last of duplicate keys silently; a duplicated tensor name is corruption.
    std::set<std::string> seenKeys;
    std::string duplicate;
    const auto callback = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json &parsed) {
        if (depth > kMaxNestingDepth) // a real header nests 3 levels; printing a deeper one would recurse
            fail(m_path, "header", "values nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
        if (depth == 1 && event == nlohmann::json::parse_event_t::key && !seenKeys.insert(parsed.get<std::string>()).second)
            duplicate = parsed.get<std::string>();
        return true;
    };
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(headerText, callback);
    } catch (const nlohmann::json::exception &error) {
        fail(m_path, "header", std::string("header is not valid JSON: ") + error.what());
    }
    if (!header.is_object())
        fail(m_path, "header", "header is not a JSON object");
    if (!duplicate.empty())
        fail(m_path, duplicate, "name appears twice in the header");

    for (const auto &[key, value] : header.items()) {
        if (key == kSafetensorsMetadataKey) {
            if (!value.is_object())
                fail(m_path, kSafetensorsMetadataKey, "is not a JSON object");
            for (const auto &[metaKey, metaValue] : value.items()) {
                if (!metaValue.is_string())
                    fail(m_path, kSafetensorsMetadataKey, "value of \"" + metaKey + "\" is not a string");
                m_metadata[metaKey] = metaValue.get<std::string>();
            }
            continue;
        }
        m_entries.push_back(parseEntry(m_path, key, value, dataSize));
    }

    std::sort(m_entries.begin(), m_entries.end(), [](const SafetensorsEntry &a, const SafetensorsEntry &b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (i > 0 && m_entries[i - 1].end > m_entries[i].begin)
            fail(m_path, m_entries[i].name, "data overlaps the data of '" + m_entries[i - 1].name + "'");
        m_index[m_entries[i].name] = i;
    }
}

std::vector<std::string> SafetensorsHeader::names() const
{
    std::vector<std::string> result;
    result.reserve(m_entries.size());
    for (const auto &entry : m_entries)
        result.push_back(entry.name);
    return result;
}

const SafetensorsEntry &SafetensorsHeader::entry(const std::string &name) const
{
    const auto found = m_index.find(name);
    if (found == m_index.end())
        fail(m_path, name, "no such tensor in the file");
    return m_entries[found->second];
}

std::string SafetensorsHeader::computeDataChecksum() const
{
    std::ifstream in(m_path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(m_dataStart));
    if (!in)
        fail(m_path, "", "cannot read the tensor data");
    ContentHasher hasher;
    std::vector<char> chunk(std::size_t{4} << 20);
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        hasher.add(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
    }
    if (!in.eof())
        fail(m_path, "", "cannot read the tensor data");
    return hasher.hex();
}

bool SafetensorsHeader::verifyDataChecksum() const
{
    const auto stored = m_metadata.find(kDataChecksumKey);
    if (stored == m_metadata.end())
        return false;
    const std::string actual = computeDataChecksum();
    if (actual != stored->second)
        fail(m_path, kDataChecksumKey,
             "the tensor data does not match its checksum (stored " + stored->second + ", computed " + actual +
                 "): the file is corrupt (a damaged disk or an incomplete copy); it was not loaded");
    return true;
}

} // namespace idgen
