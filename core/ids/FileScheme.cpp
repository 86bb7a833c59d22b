#include "ids/FileScheme.h"

#include "ids/IdFileLines.h"
#include "ids/IdText.h"
#include "ids/UsedIds.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <unordered_map>

namespace idgen {

IdTable readIdFile(const std::filesystem::path &file, std::span<const std::string> rawIds, IdKind kind,
                   const Tokenizer &tokenizer, bool repair, JobEvents &events, StopToken stop)
{
    const auto started = std::chrono::steady_clock::now();
    IdFileLines lines(file, rawIds, kind);
    const std::string &kindName = lines.kindName();

    IdTable table;
    table.texts.resize(rawIds.size());
    table.tokens.resize(rawIds.size());
    std::unordered_map<std::string, std::size_t> ownerOfText;
    std::vector<std::string> toRepair(rawIds.size()); // the stem of each repaired entity's ID
    std::vector<bool> needsRepair(rawIds.size(), false);
    UsedIds used(tokenizer);
    IdStats &stats = table.stats;

    const std::string stage = "reading " + kindName + " IDs";
    std::uint64_t count = 0;
    std::size_t entity = 0;
    std::string_view idText;
    while (lines.next(entity, idText)) {
        if ((++count & 0x3FF) == 0) {
            if (stop.stopRequested())
                throw Cancelled();
            events.progress(lines.progress(), stage);
        }
        const std::string &rawId = rawIds[entity];
        NormalizedId id = normalizeIdFromText(tokenizer, idText);
        if (id.empty()) {
            if (!repair)
                lines.fail("id", kindName + " '" + rawId + "' has an empty ID (--repair gives it a fallback ID)");
            ++stats.emptyCandidates;
            needsRepair[entity] = true;
            continue;
        }
        if (!used.take(id)) {
            if (!repair) {
                const auto owner = ownerOfText.find(id.text);
                const std::string who = owner != ownerOfText.end()
                                            ? kindName + " '" + rawIds[owner->second] + "' on line " +
                                                  std::to_string(lines.lineOf(owner->second))
                                            : "another " + kindName + " (the same tokens)";
                lines.fail("id", "ID '" + id.text + "' of " + kindName + " '" + rawId + "' is already the ID of " + who +
                                     " (--repair makes it unique)");
            }
            toRepair[entity] = id.text;
            needsRepair[entity] = true;
            continue;
        }
        ownerOfText.emplace(id.text, entity);
        table.texts[entity] = std::move(id.text);
        table.tokens[entity] = std::move(id.tokens);
    }
    lines.requireEveryEntity();

    for (std::size_t i = 0; i < rawIds.size(); ++i) {
        if (!needsRepair[i])
            continue;
        NormalizedId id = used.takeWithSuffix(toRepair[i], kindName);
        events.log(lines.fileName() + ":" + std::to_string(lines.lineOf(i)) + ": " + kindName + " '" + rawIds[i] + "' " +
                   (toRepair[i].empty() ? "had an empty ID" : "repeated the ID '" + toRepair[i] + "'") + "; it is now '" +
                   id.text + "'");
        table.texts[i] = std::move(id.text);
        table.tokens[i] = std::move(id.tokens);
        ++stats.fallbacks;
        ++stats.collisionsResolved;
    }
    events.progress(1.0, stage);
    table.computeShapeStats();
    stats.order = "file lines; repairs in " + kindName + " index order";
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return table;
}

void recordFileUserHistory(nlohmann::json &snapshotOptions)
{
    snapshotOptions["user_history"] = std::string(kPublishedFileUserHistory);
}

} // namespace idgen
