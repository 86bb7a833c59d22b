#include "ids/embeddings/EmbeddingsFile.h"

#include "model/Safetensors.h"
#include "util/Error.h"
#include "util/TextReader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <unordered_map>

namespace idgen {
namespace {

constexpr std::size_t kMaxDimensions = 1 << 16;

std::string lowerExtension(const std::filesystem::path &file)
{
    std::string extension = file.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

[[noreturn]] void fail(const std::filesystem::path &file, const std::string &problem)
{
    throw InputError(file.string(), 0, "", problem);
}

// ---- .safetensors ----

at::Tensor readSafetensorsMatrix(const std::filesystem::path &file)
{
    const SafetensorsFile tensors(file);
    const std::vector<std::string> names = tensors.names();
    std::string name;
    if (names.size() == 1)
        name = names.front();
    else if (tensors.contains("item_embeddings"))
        name = "item_embeddings";
    else if (tensors.contains("embeddings"))
        name = "embeddings";
    else
        fail(file, std::to_string(names.size()) +
                       " tensors and none named 'item_embeddings' or 'embeddings': which one holds the items?");
    return tensors.load(name, at::kFloat);
}

// ---- .npy (format 1.0 to 3.0) ----

std::string headerValue(const std::string &header, const std::string &key, const std::filesystem::path &file)
{
    const auto at = header.find("'" + key + "'");
    if (at == std::string::npos)
        fail(file, "the .npy header has no '" + key + "'");
    const auto colon = header.find(':', at);
    auto begin = header.find_first_not_of(' ', colon + 1);
    if (colon == std::string::npos || begin == std::string::npos)
        fail(file, "the .npy header's '" + key + "' has no value");
    const char open = header[begin];
    const char close = open == '(' ? ')' : open == '\'' ? '\'' : ',';
    const auto end = header.find(close, begin + 1);
    if (end == std::string::npos)
        fail(file, "the .npy header's '" + key + "' is not terminated");
    return open == '(' || open == '\'' ? header.substr(begin + 1, end - begin - 1) : header.substr(begin, end - begin);
}

std::vector<std::int64_t> parseShape(const std::string &text, const std::filesystem::path &file)
{
    std::vector<std::int64_t> shape;
    const char *p = text.data();
    const char *end = text.data() + text.size();
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ','))
            ++p;
        if (p == end)
            break;
        std::int64_t value = 0;
        const auto [next, error] = std::from_chars(p, end, value);
        if (error != std::errc() || value < 0)
            fail(file, "the .npy shape (" + text + ") is not a list of sizes");
        shape.push_back(value);
        p = next;
    }
    return shape;
}

at::Tensor readNpyMatrix(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        fail(file, "cannot open the file");
    char magic[8] = {};
    in.read(magic, 8);
    if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        fail(file, "not a .npy file (no \\x93NUMPY magic)");
    const int major = static_cast<unsigned char>(magic[6]);
    std::uint32_t headerLength = 0;
    if (major == 1) {
        unsigned char bytes[2] = {};
        in.read(reinterpret_cast<char *>(bytes), 2);
        headerLength = bytes[0] | (static_cast<std::uint32_t>(bytes[1]) << 8);
    } else if (major == 2 || major == 3) {
        unsigned char bytes[4] = {};
        in.read(reinterpret_cast<char *>(bytes), 4);
        headerLength = bytes[0] | (static_cast<std::uint32_t>(bytes[1]) << 8) |
                       (static_cast<std::uint32_t>(bytes[2]) << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
    } else {
        fail(file, ".npy format version " + std::to_string(major) + " is not supported (1 to 3 are)");
    }
    if (!in || headerLength > (1u << 20))
        fail(file, "the .npy header is truncated or too long");
    std::string header(headerLength, '\0');
    in.read(header.data(), headerLength);
    if (!in)
        fail(file, "the .npy header is truncated");
    const std::string descr = headerValue(header, "descr", file);
    const bool fortran = headerValue(header, "fortran_order", file).find("True") != std::string::npos;
    const std::vector<std::int64_t> shape = parseShape(headerValue(header, "shape", file), file);
    at::ScalarType type;
    if (descr == "<f4")
        type = at::kFloat;
    else if (descr == "<f8")
        type = at::kDouble;
    else
        fail(file, "dtype '" + descr + "' is not supported (little-endian float32 '<f4' or float64 '<f8' are)");
    if (shape.size() != 2)
        fail(file, "a matrix [items, dimensions] was expected, the array has " + std::to_string(shape.size()) +
                       " dimensions");
    const std::int64_t count = shape[0] * shape[1];
    const auto bytes = static_cast<std::streamsize>(count * static_cast<std::int64_t>(at::elementSize(type)));
    const std::int64_t dataStart = static_cast<std::int64_t>(in.tellg());
    if (static_cast<std::int64_t>(std::filesystem::file_size(file)) - dataStart < bytes)
        fail(file, "truncated: shape (" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ") needs " +
                       std::to_string(bytes) + " bytes of data");
    at::Tensor data = at::empty({count}, at::TensorOptions().dtype(type));
    in.read(static_cast<char *>(data.data_ptr()), bytes);
    if (!in)
        fail(file, "the data could not be read");
    // Fortran order stores the transpose's rows: read as [D, N] and transpose.
    const at::Tensor matrix = fortran ? data.view({shape[1], shape[0]}).t() : data.view({shape[0], shape[1]});
    return matrix.to(at::kFloat).contiguous();
}

// ---- .csv / .tsv ----

bool parseNumber(std::string_view text, double &value)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r'))
        text.remove_suffix(1);
    if (text.empty())
        return false;
    // from_chars does not take a leading '+'; everything else (nan, inf, exponents) it reads.
    if (text.front() == '+')
        text.remove_prefix(1);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> splitFields(std::string_view line, char delimiter)
{
    std::vector<std::string_view> fields;
    std::size_t begin = 0;
    while (true) {
        const auto end = line.find(delimiter, begin);
        fields.push_back(line.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
        if (end == std::string_view::npos)
            return fields;
        begin = end + 1;
    }
}

at::Tensor readDelimited(const std::filesystem::path &file, char delimiter, const std::vector<std::string> &itemRawIds)
{
    std::unordered_map<std::string, std::size_t> itemOf;
    for (std::size_t i = 0; i < itemRawIds.size(); ++i)
        itemOf.emplace(itemRawIds[i], i);
    std::vector<float> values;
    std::vector<std::uint64_t> lineOfItem(itemRawIds.size(), 0);
    std::size_t width = 0;
    TextReader reader(file);
    std::string_view line;
    while (reader.nextLine(line)) {
        if (line.empty() || line == "\r")
            continue;
        const std::vector<std::string_view> fields = splitFields(line, delimiter);
        if (fields.size() < 2)
            reader.fail("", "a raw item id and at least one value were expected");
        double first = 0.0;
        if (width == 0 && values.empty() && !parseNumber(fields[1], first))
            continue; // a header line: its second column is not a number
        if (fields.size() - 1 > kMaxDimensions)
            reader.fail("", std::to_string(fields.size() - 1) + " values is more than the " +
                                std::to_string(kMaxDimensions) + " dimensions accepted");
        if (width == 0) {
            width = fields.size() - 1;
            values.assign(itemRawIds.size() * width, 0.0f);
        } else if (fields.size() - 1 != width) {
            reader.fail("", std::to_string(fields.size() - 1) + " values where the first row had " +
                                std::to_string(width));
        }
        const std::string rawId(fields[0]);
        const auto item = itemOf.find(rawId);
        if (item == itemOf.end())
            reader.fail("raw id", "unknown raw item id '" + rawId + "' (not an item of the dataset)");
        if (lineOfItem[item->second] != 0)
            reader.fail("raw id", "item '" + rawId + "' already has a row (line " +
                                      std::to_string(lineOfItem[item->second]) + ")");
        lineOfItem[item->second] = reader.lineNumber();
        float *row = values.data() + item->second * width;
        for (std::size_t c = 1; c < fields.size(); ++c) {
            double value = 0.0;
            if (!parseNumber(fields[c], value))
                reader.fail("column " + std::to_string(c + 1), "'" + std::string(fields[c]) + "' is not a number");
            if (!std::isfinite(value))
                reader.fail("column " + std::to_string(c + 1), "item '" + rawId + "': " + std::string(fields[c]) +
                                                                   " is not a finite number");
            row[c - 1] = static_cast<float>(value);
        }
    }
    const auto missing = static_cast<std::size_t>(std::count(lineOfItem.begin(), lineOfItem.end(), 0));
    if (missing > 0) {
        const auto first = static_cast<std::size_t>(std::find(lineOfItem.begin(), lineOfItem.end(), 0) - lineOfItem.begin());
        fail(file, std::to_string(missing) + " of the dataset's " + std::to_string(itemRawIds.size()) +
                       " items have no row, the first is item '" + itemRawIds[first] + "'");
    }
    return at::from_blob(values.data(), {static_cast<std::int64_t>(itemRawIds.size()), static_cast<std::int64_t>(width)},
                         at::TensorOptions().dtype(at::kFloat))
        .clone();
}

// Shape and finiteness of a matrix whose rows are the items in index order.
void checkMatrix(const at::Tensor &matrix, const std::filesystem::path &file, const std::vector<std::string> &itemRawIds)
{
    if (matrix.dim() != 2)
        fail(file, "a matrix [items, dimensions] was expected, the tensor has " + std::to_string(matrix.dim()) +
                       " dimensions");
    if (matrix.size(0) != static_cast<std::int64_t>(itemRawIds.size()))
        fail(file, std::to_string(matrix.size(0)) + " rows, but the dataset has " + std::to_string(itemRawIds.size()) +
                       " items (row i is the item of index i, in the dataset's order)");
    if (matrix.size(1) < 1 || matrix.size(1) > static_cast<std::int64_t>(kMaxDimensions))
        fail(file, std::to_string(matrix.size(1)) + " dimensions (1 to " + std::to_string(kMaxDimensions) + " are accepted)");
    const at::Tensor finite = at::isfinite(matrix);
    if (finite.all().item<bool>())
        return;
    const at::Tensor badRows = finite.all(1).logical_not().nonzero();
    const std::int64_t row = badRows[0][0].item<std::int64_t>();
    const std::int64_t column = finite[row].logical_not().nonzero()[0][0].item<std::int64_t>();
    const double value = matrix[row][column].item<double>();
    fail(file, "row " + std::to_string(row + 1) + " (item '" + itemRawIds[static_cast<std::size_t>(row)] +
                   "'), column " + std::to_string(column + 1) + ": " + (std::isnan(value) ? "NaN" : "infinite") +
                   " value (" + std::to_string(badRows.size(0)) + " rows have one)");
}

} // namespace

at::Tensor readItemEmbeddings(const std::filesystem::path &file, const std::vector<std::string> &itemRawIds)
{
    if (!std::filesystem::exists(file))
        fail(file, "no such file");
    const std::string extension = lowerExtension(file);
    at::Tensor matrix;
    if (extension == ".safetensors")
        matrix = readSafetensorsMatrix(file);
    else if (extension == ".npy")
        matrix = readNpyMatrix(file);
    else if (extension == ".csv")
        matrix = readDelimited(file, ',', itemRawIds);
    else if (extension == ".tsv")
        matrix = readDelimited(file, '\t', itemRawIds);
    else
        fail(file, "unknown embeddings format '" + extension + "' (.safetensors, .npy, .csv or .tsv)");
    checkMatrix(matrix, file, itemRawIds);
    return matrix;
}

} // namespace idgen
