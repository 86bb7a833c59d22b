#include "ids/IdAssignmentOptions.h"

#include "util/Error.h"

#include <algorithm>

namespace idgen {

void IdAssignmentOptions::validate() const
{
    if (dataset.empty())
        throw Error("ID assignment needs a dataset");
    if (std::find(kIdSchemes.begin(), kIdSchemes.end(), scheme) == kIdSchemes.end())
        throw Error("ID scheme '" + scheme + "' is not known (use textual, title, sequential or file)");
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
    if (scheme == "textual") {
        json["unique"] = unique.toJson();
        json["user_history"] = userIdHistoryName(userHistory);
        json["generator"] = generatorCheckpoint.empty() ? nlohmann::json() : nlohmann::json(absolute(generatorCheckpoint));
        json["groups"] = groups;
        json["device"] = device;
        if (generatorCheckpoint.empty())
            json["warmup"] = warmup.toJson();
    }
    return json;
}

} // namespace idgen
