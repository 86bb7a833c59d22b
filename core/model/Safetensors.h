#pragma once

// Reader and writer for the safetensors format (Hugging Face's weight files, and our checkpoints).
//
// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value", ...}}
// then the raw little-endian tensor bytes; offsets are relative to the end of the header.
// The header is parsed as JSON (never pattern-matched) and every entry is validated before any
// tensor is read, so a truncated or corrupt file fails with a message naming the file and tensor.

#include "model/SafetensorsHeader.h"

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

// An open safetensors file: the header is read and validated on construction (SafetensorsHeader,
// LibTorch-free); tensors are read on demand (a seek and one read each), so large files are never
// held in memory at once.
class SafetensorsFile : public SafetensorsHeader {
public:
    using SafetensorsHeader::SafetensorsHeader;

    // Reads one tensor into a fresh CPU tensor, converted to targetType when given
    // (e.g. BF16/F16 weights loaded as float32).
    at::Tensor load(const std::string &name, std::optional<c10::ScalarType> targetType = std::nullopt) const;
};

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
