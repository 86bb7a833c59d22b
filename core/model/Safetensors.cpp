#include "model/Safetensors.h"

#include "util/Error.h"
#include "util/Hash.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdio>
#include <fstream>
#include <set>

#include <fcntl.h>
#include <unistd.h>

namespace idgen {
namespace {

// Tensor bytes are copied straight into torch storage; the format is little-endian.
static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian host");

struct DtypeName {
    const char *name;
    c10::ScalarType type;
};

constexpr DtypeName kDtypes[] = {
    {"F64", c10::ScalarType::Double}, {"F32", c10::ScalarType::Float},  {"F16", c10::ScalarType::Half},
    {"BF16", c10::ScalarType::BFloat16}, {"I64", c10::ScalarType::Long}, {"I32", c10::ScalarType::Int},
    {"I16", c10::ScalarType::Short},  {"I8", c10::ScalarType::Char},    {"U8", c10::ScalarType::Byte},
    {"BOOL", c10::ScalarType::Bool},
};

void writeAll(std::FILE *out, const void *data, std::size_t size)
{
    if (size > 0 && std::fwrite(data, 1, size, out) != size)
        throw Error("write failed");
}

// A temporary sibling of `path` that no other writer (thread or process) picks.
std::filesystem::path temporarySibling(const std::filesystem::path &path)
{
    static std::atomic<unsigned> counter{0};
    return path.parent_path() / (path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(counter.fetch_add(1)));
}

} // namespace

std::optional<c10::ScalarType> safetensorsScalarType(const std::string &dtype)
{
    for (const auto &known : kDtypes)
        if (dtype == known.name)
            return known.type;
    return std::nullopt;
}

std::string safetensorsDtypeName(c10::ScalarType type)
{
    for (const auto &known : kDtypes)
        if (type == known.type)
            return known.name;
    throw Error(std::string("tensor type ") + c10::toString(type) + " has no safetensors dtype");
}

at::Tensor SafetensorsFile::load(const std::string &name, std::optional<c10::ScalarType> targetType) const
{
    const SafetensorsEntry &info = entry(name);
    // The header accepted only dtypes with an element size, the names kDtypes maps.
    const c10::ScalarType type = *safetensorsScalarType(info.dtype);
    at::Tensor tensor = at::empty(info.shape, at::TensorOptions().dtype(type));
    const std::uint64_t bytes = info.end - info.begin;
    if (bytes > 0) {
        std::ifstream in(path(), std::ios::binary);
        in.seekg(static_cast<std::streamoff>(dataStart() + info.begin));
        in.read(static_cast<char *>(tensor.data_ptr()), static_cast<std::streamsize>(bytes));
        if (!in)
            throw InputError(path().string(), 0, name,
                             "cannot read the tensor data (file changed or truncated since it was opened?)");
    }
    if (targetType && *targetType != type)
        tensor = tensor.to(*targetType);
    return tensor;
}

void writeSafetensors(const std::filesystem::path &path, const std::vector<std::pair<std::string, at::Tensor>> &tensors,
                      const std::map<std::string, std::string> &metadata, bool dataChecksum)
{
    const std::string file = path.string();
    struct Item {
        std::string name;
        at::Tensor data; // CPU, contiguous
    };
    std::vector<Item> items;
    std::set<std::string> names;
    for (const auto &[name, tensor] : tensors) {
        if (name.empty() || name == kSafetensorsMetadataKey)
            throw InputError(file, 0, name, "invalid tensor name");
        if (!names.insert(name).second)
            throw InputError(file, 0, name, "tensor name given twice");
        if (!tensor.defined())
            throw InputError(file, 0, name, "tensor is undefined");
        safetensorsDtypeName(tensor.scalar_type()); // throws early for unsupported types
        items.push_back({name, tensor.detach().to(at::kCPU).contiguous()});
    }
    // Widest elements first: with the 8-aligned data start every tensor is then aligned to its
    // element size, which memory-mapping readers (Python's safetensors) appreciate.
    std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
        return a.data.element_size() > b.data.element_size();
    });

    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    std::map<std::string, std::string> allMetadata = metadata;
    if (dataChecksum) {
        ContentHasher hasher;
        for (const auto &item : items)
            hasher.add(std::string_view(static_cast<const char *>(item.data.data_ptr()), item.data.nbytes()));
        allMetadata[kDataChecksumKey] = hasher.hex();
    }
    if (!allMetadata.empty())
        header[kSafetensorsMetadataKey] = allMetadata;
    std::uint64_t offset = 0;
    for (const auto &item : items) {
        const auto bytes = static_cast<std::uint64_t>(item.data.nbytes());
        header[item.name] = {{"dtype", safetensorsDtypeName(item.data.scalar_type())},
                             {"shape", item.data.sizes().vec()},
                             {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string headerText = header.dump();
    headerText.append((8 - headerText.size() % 8) % 8, ' ');
    unsigned char lengthBytes[8];
    for (int i = 0; i < 8; ++i)
        lengthBytes[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(headerText.size()) >> (8 * i));

    const auto temporary = temporarySibling(path);
    std::FILE *out = std::fopen(temporary.c_str(), "wb");
    if (!out)
        throw Error(file + ": cannot create " + temporary.filename().string() + " in its folder");
    try {
        writeAll(out, lengthBytes, 8);
        writeAll(out, headerText.data(), headerText.size());
        for (const auto &item : items)
            writeAll(out, item.data.data_ptr(), item.data.nbytes());
        // Data on disk before the rename makes it visible, or a crash could expose an empty file.
        if (std::fflush(out) != 0 || ::fsync(::fileno(out)) != 0)
            throw Error("flush failed");
        const int closed = std::fclose(out);
        out = nullptr;
        if (closed != 0)
            throw Error("close failed");
        std::filesystem::rename(temporary, path);
    } catch (const std::exception &error) {
        if (out)
            std::fclose(out);
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw Error(file + ": cannot write: " + error.what());
    }
    // Make the rename itself durable; failure here loses nothing already written.
    const int folder = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(), O_RDONLY | O_DIRECTORY);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
}

} // namespace idgen
