#include "ids/FileScheme.h"

#include "ids/IdText.h"
#include "ids/UsedIds.h"
#include "text/Tokenizer.h"
#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/TextReader.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <unordered_map>

namespace idgen {
namespace {

constexpr std::uint64_t kNoLine = 0;

// How many missing raw ids an error spells out.
constexpr std::size_t kMissingShown = 5;

} // namespace

IdTable readIdFile(const std::filesystem::path &file, std::span<const std::string> rawIds, IdKind kind,
                   const Tokenizer &tokenizer, bool repair, JobEvents &events, StopToken stop)
{
    const auto started = std::chrono::steady_clock::now();
    const std::string kindName = idKindName(kind);
    std::unordered_map<std::string_view, std::size_t> indexOf;
    indexOf.reserve(rawIds.size());
    for (std::size_t i = 0; i < rawIds.size(); ++i)
        indexOf.emplace(rawIds[i], i);

    IdTable table;
    table.texts.resize(rawIds.size());
    table.tokens.resize(rawIds.size());
    std::vector<std::uint64_t> lineOf(rawIds.size(), kNoLine);
    std::unordered_map<std::string, std::size_t> ownerOfText;
    std::vector<std::string> toRepair(rawIds.size()); // the stem of each repaired entity's ID
    std::vector<bool> needsRepair(rawIds.size(), false);
    UsedIds used(tokenizer);
    IdStats &stats = table.stats;

    TextReader reader(file);
    std::string_view line;
    const std::string stage = "reading " + kindName + " IDs";
    std::uint64_t lines = 0;
    while (reader.nextLine(line)) {
        if ((++lines & 0x3FF) == 0) {
            if (stop.stopRequested())
                throw Cancelled();
            events.progress(reader.progress(), stage);
        }
        const std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string_view::npos)
            continue;
        const std::size_t split = line.find_first_of(" \t", start);
        const std::string_view rawId = line.substr(start, split == std::string_view::npos ? line.npos : split - start);
        const std::string_view idText = split == std::string_view::npos ? std::string_view() : line.substr(split + 1);
        if (rawId.size() > kMaxIdBytes)
            reader.fail("raw_id", "id is " + byteSizeText(rawId.size()) + " long, more than the " +
                                      byteSizeText(kMaxIdBytes) + " an id may have");
        if (idText.size() > kMaxIdBytes)
            reader.fail("id", "ID text is " + byteSizeText(idText.size()) + " long, more than the " +
                                  byteSizeText(kMaxIdBytes) + " an ID may have (IDs are a few words)");
        const auto found = indexOf.find(rawId);
        if (found == indexOf.end())
            reader.fail("raw_id", "'" + std::string(rawId) + "' is not one of the dataset's " + kindName + "s");
        const std::size_t entity = found->second;
        if (lineOf[entity] != kNoLine)
            reader.fail("raw_id", kindName + " '" + std::string(rawId) + "' already has an ID on line " +
                                      std::to_string(lineOf[entity]));
        lineOf[entity] = reader.lineNumber();

        NormalizedId id = normalizeIdFromText(tokenizer, idText);
        if (id.empty()) {
            if (!repair)
                reader.fail("id", kindName + " '" + std::string(rawId) +
                                      "' has an empty ID (--repair gives it a fallback ID)");
            ++stats.emptyCandidates;
            needsRepair[entity] = true;
            continue;
        }
        if (!used.take(id)) {
            if (!repair) {
                const auto owner = ownerOfText.find(id.text);
                const std::string who = owner != ownerOfText.end()
                                            ? kindName + " '" + rawIds[owner->second] + "' on line " +
                                                  std::to_string(lineOf[owner->second])
                                            : "another " + kindName + " (the same tokens)";
                reader.fail("id", "ID '" + id.text + "' of " + kindName + " '" + std::string(rawId) +
                                      "' is already the ID of " + who + " (--repair makes it unique)");
            }
            toRepair[entity] = id.text;
            needsRepair[entity] = true;
            continue;
        }
        ownerOfText.emplace(id.text, entity);
        table.texts[entity] = std::move(id.text);
        table.tokens[entity] = std::move(id.tokens);
    }

    std::size_t missing = 0;
    std::string examples;
    for (std::size_t i = 0; i < rawIds.size(); ++i) {
        if (lineOf[i] != kNoLine)
            continue;
        if (++missing <= kMissingShown)
            examples += (examples.empty() ? "" : ", ") + rawIds[i];
    }
    if (missing > 0)
        throw InputError(reader.fileName(), 0, "",
                         std::to_string(missing) + " of the dataset's " + std::to_string(rawIds.size()) + " " +
                             kindName + "s have no ID in the file (" + examples + (missing > kMissingShown ? ", ..." : "") +
                             ")");

    for (std::size_t i = 0; i < rawIds.size(); ++i) {
        if (!needsRepair[i])
            continue;
        NormalizedId id = used.takeWithSuffix(toRepair[i], kindName);
        events.log(reader.fileName() + ":" + std::to_string(lineOf[i]) + ": " + kindName + " '" + rawIds[i] + "' " +
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
