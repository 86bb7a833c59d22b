#pragma once

// The LibTorch-free half of the checkpoint reader (the format is described in model/Checkpoint.h):
// a checkpoint's safetensors metadata checked (format, version, the state's checksum) and its
// "state" JSON read. readCheckpointState and loadCheckpoint start with it; the fuzz target
// fuzz_checkpoint (tests/fuzz, built without LibTorch) runs it alone.

#include "model/Checkpoint.h"
#include "model/SafetensorsHeader.h"

#include <nlohmann/json.hpp>

#include <string>

namespace idgen {

// Metadata key of the checksum (XXH3-128, hex) of the "state" text.
inline constexpr const char *kStateChecksumKey = "state_xxh3_128";

// What is stored under kStateChecksumKey for a state text.
std::string checkpointStateChecksum(const std::string &stateText);

// The "state" JSON object, after checking the format name and version and, when the file has one,
// the state's checksum; InputError naming the file and field otherwise.
nlohmann::json readCheckpointStateJson(const SafetensorsHeader &file);

// Step, data cursor, kind, config and extra from that JSON (InputError naming the file when one is
// missing or of another type). The data RNG bytes are a tensor: the caller reads them.
CheckpointState checkpointStateFromJson(const SafetensorsHeader &file, const nlohmann::json &json);

} // namespace idgen
