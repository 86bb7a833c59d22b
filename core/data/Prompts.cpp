#include "data/Prompts.h"

#include "util/Error.h"

namespace idgen {
namespace {

constexpr std::array<std::string_view, PromptTemplates::kTrainingCount + 1> kTemplates = {
    "{user} has interacted with items {history} . what is the next recommendation for the user ?",
    "here is the purchase history of {user} : {history} . what to recommend next ?",
    "{user} bought {history} in this order . predict the next item {user} will buy .",
    "given the interactions of {user} : {history} , which item comes next ?",
    "the items {user} engaged with are {history} . recommend one more item .",
    "{user} , history : {history} . next item ?",
    "based on {history} , what should we recommend to {user} next ?",
    "sequence of items of {user} : {history} . what is the following item ?",
    "{user} has a history of {history} . suggest the item to interact with next .",
    "after {history} , which item will {user} choose ?",
    // Held out: never seen in training (the unseen-prompt test).
    "considering that {user} previously chose {history} , name the item they are most likely to pick next .",
};

void replaceAll(std::string &text, std::string_view key, const std::string &value)
{
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
}

} // namespace

std::string_view PromptTemplates::text(std::size_t index)
{
    if (index >= kTemplates.size())
        throw Error("prompt template " + std::to_string(index) + " does not exist (there are " +
                    std::to_string(kTemplates.size()) + ")");
    return kTemplates[index];
}

std::string PromptTemplates::render(std::size_t index, std::string_view userId, std::span<const std::string> historyIds)
{
    std::string history;
    for (const auto &id : historyIds) {
        if (!history.empty())
            history += kHistorySeparator;
        history += id;
    }
    std::string out(text(index));
    replaceAll(out, "{user}", userId.empty() ? std::string("a user") : "user " + std::string(userId));
    replaceAll(out, "{history}", history);
    return out;
}

} // namespace idgen
