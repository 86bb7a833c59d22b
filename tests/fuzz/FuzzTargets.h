#pragma once

// What each fuzz target does with one input, shared by the libFuzzer mains (build-fuzz/, clang +
// sanitizers) and test_fuzz_regressions, which replays the kept inputs in the normal test suite.
// An idgen::Error is a refusal and returns normally; anything else escaping is a bug.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace idgen::fuzz {

// The targets: fuzz_format_<format> for every importer format, fuzz_python_literal,
// fuzz_item_text, fuzz_config, fuzz_safetensors, fuzz_checkpoint, fuzz_id_file.
std::vector<std::string> targetNames();
// Runs one input through a target; throws std::invalid_argument for an unknown target.
void runTarget(const std::string &target, const std::uint8_t *data, std::size_t size);

} // namespace idgen::fuzz
