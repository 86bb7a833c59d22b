#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace idgen {

// The recommender's prompts (method.md section 1): ten training templates that each say "user U
// interacted with items H; what is next?" in other words, and one held out for the unseen-prompt
// test. Training renders a sample with 3 random templates; evaluation uses template 0.
// The wording is ours; {user} and {history} are replaced, history items joined by " ; ".
class PromptTemplates {
public:
    static constexpr std::size_t kTrainingCount = 10;
    static constexpr std::size_t kHeldOut = kTrainingCount; // index of the unseen template
    static constexpr std::size_t kEvaluation = 0;
    static constexpr std::string_view kHistorySeparator = " ; ";

    static std::size_t count() { return kTrainingCount + 1; }
    static std::string_view text(std::size_t index); // throws an Error past count()
    // With an empty user ID the user part is left out ("a user" instead of "user U").
    static std::string render(std::size_t index, std::string_view userId, std::span<const std::string> historyIds);
};

} // namespace idgen
