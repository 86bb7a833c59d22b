#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace idgen {

struct Dataset;
struct IdSnapshot;

enum class EvaluationSplit { Valid, Test };

std::string_view splitName(EvaluationSplit split);
EvaluationSplit parseSplit(std::string_view name); // "valid" or "test"; throws an Error otherwise

// One user's evaluation prompt (method.md section 3): the last maxHistory items before the split's
// target, written with the snapshot's item IDs into the evaluation template, with the user's
// (leak-free by default) ID.
struct EvaluationCase {
    std::size_t user = 0;
    std::uint32_t target = 0;
    std::string prompt;
};

// nullopt when the user has too few items for that split (< 3 for valid, < 2 for test).
// promptTemplate: 0 (the evaluation template) or PromptTemplates::kHeldOut (the unseen-prompt test).
std::optional<EvaluationCase> evaluationCase(const Dataset &dataset, const IdSnapshot &snapshot, std::size_t user,
                                             EvaluationSplit split, std::size_t maxHistory = 20,
                                             std::size_t promptTemplate = 0);

} // namespace idgen
