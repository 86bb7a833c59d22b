#include "ids/IdAssignmentOptions.h"

#include "ids/schemes/IdScheme.h"
#include "util/Error.h"

#include <algorithm>

namespace idgen {

void IdAssignmentOptions::validate() const
{
    if (dataset.empty())
        throw Error("ID assignment needs a dataset");
    const IdScheme &chosen = idSchemeByName(scheme); // throws naming the known ones
    if (round < 0)
        throw Error("ID round " + std::to_string(round) + " must not be negative");
    if (tokenizer.empty())
        throw Error("ID assignment needs a tokenizer name");
    if (scheme == "file" && fromFile.empty())
        throw Error("the file scheme reads item IDs from a file: give one (--from FILE)");
    if (scheme != "file" && (!fromFile.empty() || !usersFrom.empty() || repairFile))
        throw Error("--from, --users-from and --repair belong to the file scheme, not to '" + scheme + "'");
    if (titleWords < 1)
        throw Error("title IDs need at least 1 word, not " + std::to_string(titleWords));
    unique.validate();
    if (maxSourceTokens < 2)
        throw Error("the ID generator reads at least 2 tokens of text, not " + std::to_string(maxSourceTokens));
    if (!schemeOptions.is_object())
        throw Error("scheme options must be a JSON object of option names and values");
    for (const auto &[key, value] : schemeOptions.items()) {
        if (value.is_null())
            continue;
        const auto declared = chosen.options();
        if (std::none_of(declared.begin(), declared.end(), [&](const IdSchemeOption &o) { return o.name == key; })) {
            std::string owners;
            for (const auto &other : allIdSchemes())
                for (const auto &option : other->options())
                    if (option.name == key)
                        owners += (owners.empty() ? "" : ", ") + other->name();
            throw Error("--" + key + (owners.empty() ? " is not an option of any scheme"
                                                      : " belongs to the " + owners + " scheme(s), not to '" + scheme + "'"));
        }
    }
    chosen.validate(*this);
}

std::string IdAssignmentOptions::effectiveName() const
{
    return name.empty() ? scheme + " round " + std::to_string(round) : name;
}

nlohmann::json IdAssignmentOptions::toJson() const
{
    nlohmann::json json = {{"dataset", dataset},
                           {"scheme", scheme},
                           {"round", round},
                           {"name", effectiveName()},
                           {"tokenizer", tokenizer}};
    auto absolute = [](const std::filesystem::path &path) { return std::filesystem::absolute(path).string(); };
    if (scheme == "file") {
        json["from"] = absolute(fromFile);
        json["users_from"] = usersFrom.empty() ? nlohmann::json() : nlohmann::json(absolute(usersFrom));
        json["repair"] = repairFile;
    }
    if (scheme == "title")
        json["title_words"] = titleWords;
    json.update(idSchemeByName(scheme).recordedOptions(*this));
    if (scheme == "textual") {
        json["unique"] = unique.toJson();
        json["user_history"] = userIdHistoryName(userHistory);
        json["generator"] = generatorCheckpoint.empty() ? nlohmann::json() : nlohmann::json(absolute(generatorCheckpoint));
        json["groups"] = groups;
        json["max_source_tokens"] = maxSourceTokens;
        json["device"] = device;
        if (generatorCheckpoint.empty())
            json["warmup"] = warmup.toJson();
    }
    return json;
}

} // namespace idgen
