#pragma once

// The LibTorch-free half of the safetensors reader (the format is described in model/Safetensors.h):
// the header read from a file and validated entry by entry against the file size before anything
// is allocated, the metadata, and the data section's checksum. SafetensorsFile adds reading the
// tensors; the fuzz target fuzz_safetensors (tests/fuzz, built without LibTorch) runs this part.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

struct SafetensorsEntry {
    std::string name;
    std::string dtype; // as spelled in the file: "F32", "BF16", "I64", ... (one safetensorsElementSize knows)
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0; // byte offsets into the data section, end exclusive
    std::uint64_t end = 0;
};

// A safetensors file's header, read and validated on construction: errors are InputErrors naming
// the file and the tensor or field.
class SafetensorsHeader {
public:
    explicit SafetensorsHeader(std::filesystem::path path);

    const std::filesystem::path &path() const { return m_path; }
    // "__metadata__" (string to string, as the format prescribes); empty when absent.
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }
    // Tensor names in the order of their data in the file.
    std::vector<std::string> names() const;
    bool contains(const std::string &name) const { return m_index.count(name) != 0; }
    // Throws InputError naming the file and tensor when absent.
    const SafetensorsEntry &entry(const std::string &name) const;
    // Where the data section begins in the file (entries' offsets are relative to it).
    std::uint64_t dataStart() const { return m_dataStart; }

    // XXH3-128 (hex) of the data section, read in chunks: what writeSafetensors(..., true) stores
    // under kDataChecksumKey.
    std::string computeDataChecksum() const;
    // Compares the data with the checksum in the metadata: false when the file has none (written
    // without one); throws InputError naming the file when they differ.
    bool verifyDataChecksum() const;

private:
    std::filesystem::path m_path;
    std::uint64_t m_dataStart = 0;
    std::vector<SafetensorsEntry> m_entries; // sorted by begin
    std::map<std::string, std::size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

// The header's key of the metadata (string to string), the one name a tensor may not have.
inline constexpr const char *kSafetensorsMetadataKey = "__metadata__";
// Metadata key of the data section's checksum (XXH3-128, 32 hex digits), when written with one.
inline constexpr const char *kDataChecksumKey = "data_xxh3_128";

// Bytes per element of the dtypes this reader handles ("F32" -> 4, ...); nullopt for others (F8
// variants, U16...). safetensorsScalarType (model/Safetensors.h) maps the same names to LibTorch.
std::optional<std::size_t> safetensorsElementSize(const std::string &dtype);

} // namespace idgen
