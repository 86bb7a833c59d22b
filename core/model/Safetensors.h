#pragma once

// Reader and writer for the safetensors format (Hugging Face's weight files, and our checkpoints).
//
// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value", ...}}
// then the raw little-endian tensor bytes; offsets are relative to the end of the header.
// The header is parsed as JSON (never pattern-matched) and every entry is validated before any
// tensor is read, so a truncated or corrupt file fails with a message naming the file and tensor.

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace idgen {

struct SafetensorsEntry {
    std::string name;
    std::string dtype; // as spelled in the file: "F32", "BF16", "I64", ...
    c10::ScalarType scalarType = c10::ScalarType::Float;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0; // byte offsets into the data section, end exclusive
    std::uint64_t end = 0;
};

// An open safetensors file: the header is read and validated on construction; tensors are read
// on demand (a seek and one read each), so large files are never held in memory at once.
class SafetensorsFile {
public:
    explicit SafetensorsFile(std::filesystem::path path);

    const std::filesystem::path &path() const { return m_path; }
    // "__metadata__" (string to string, as the format prescribes); empty when absent.
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }
    // Tensor names in the order of their data in the file.
    std::vector<std::string> names() const;
    bool contains(const std::string &name) const { return m_index.count(name) != 0; }
    // Throws InputError naming the file and tensor when absent.
    const SafetensorsEntry &entry(const std::string &name) const;

    // XXH3-128 (hex) of the data section, read in chunks: what writeSafetensors(..., true) stores
    // under kDataChecksumKey.
    std::string computeDataChecksum() const;
    // Compares the data with the checksum in the metadata: false when the file has none (written
    // without one); throws InputError naming the file when they differ.
    bool verifyDataChecksum() const;

    // Reads one tensor into a fresh CPU tensor, converted to targetType when given
    // (e.g. BF16/F16 weights loaded as float32).
    at::Tensor load(const std::string &name, std::optional<c10::ScalarType> targetType = std::nullopt) const;

private:
    std::filesystem::path m_path;
    std::uint64_t m_dataStart = 0;
    std::vector<SafetensorsEntry> m_entries; // sorted by begin
    std::map<std::string, std::size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

// Metadata key of the data section's checksum (XXH3-128, 32 hex digits), when written with one.
inline constexpr const char *kDataChecksumKey = "data_xxh3_128";

// "F32" -> Float, ...; nullopt for dtypes this reader does not handle (F8 variants, U16...).
std::optional<c10::ScalarType> safetensorsScalarType(const std::string &dtype);
// Float -> "F32", ...; throws Error for types without a safetensors spelling (complex, quantised).
std::string safetensorsDtypeName(c10::ScalarType type);

// Writes tensors (any device; saved contiguous, in their own dtype) and string metadata.
// Names must be unique and non-empty, and may not be "__metadata__". The file is written to a
// temporary sibling, flushed to disk and renamed over `path`, so readers (and a process killed
// half-way) only ever see the old file or the complete new one. With dataChecksum, the checksum
// of the tensor bytes is stored in the metadata (kDataChecksumKey), so a reader can tell a
// flipped bit or a torn copy from the real weights.
void writeSafetensors(const std::filesystem::path &path,
                      const std::vector<std::pair<std::string, at::Tensor>> &tensors,
                      const std::map<std::string, std::string> &metadata = {}, bool dataChecksum = false);

} // namespace idgen
