#include "eval/EvaluationCase.h"

#include "data/Dataset.h"
#include "data/Prompts.h"
#include "data/Split.h"
#include "ids/IdSnapshot.h"
#include "util/Error.h"

namespace idgen {

std::string_view splitName(EvaluationSplit split)
{
    return split == EvaluationSplit::Valid ? "valid" : "test";
}

EvaluationSplit parseSplit(std::string_view name)
{
    if (name == "valid")
        return EvaluationSplit::Valid;
    if (name == "test")
        return EvaluationSplit::Test;
    throw Error("unknown split '" + std::string(name) + "' (use valid or test)");
}

std::optional<EvaluationCase> evaluationCase(const Dataset &dataset, const IdSnapshot &snapshot, std::size_t user,
                                             EvaluationSplit split, std::size_t maxHistory,
                                             std::size_t promptTemplate)
{
    const UserSplit samples = leaveOneOut(dataset.sequence(user), maxHistory);
    const auto &chosen = split == EvaluationSplit::Valid ? samples.valid : samples.test;
    if (chosen.empty())
        return std::nullopt;
    const SplitSample &sample = chosen.front();
    std::vector<std::string> history;
    history.reserve(sample.history.size());
    for (const std::uint32_t item : sample.history)
        history.push_back(snapshot.items.texts[item]);
    const std::string userId = snapshot.users.empty() ? std::string() : snapshot.users.texts[user];
    return EvaluationCase{user, sample.target, PromptTemplates::render(promptTemplate, userId, history)};
}

} // namespace idgen
