#include "ids/IdSnapshot.h"

#include "util/Error.h"

#include <cmath>
#include <unordered_set>

namespace idgen {

const char *idKindName(IdKind kind)
{
    return kind == IdKind::Item ? "item" : "user";
}

IdKind parseIdKind(std::string_view name)
{
    if (name == "item")
        return IdKind::Item;
    if (name == "user")
        return IdKind::User;
    throw Error("ID kind '" + std::string(name) + "' is neither 'item' nor 'user'");
}

nlohmann::json IdStats::toJson() const
{
    nlohmann::json histogram = nlohmann::json::object();
    for (const auto &[length, count] : lengthHistogram)
        histogram[std::to_string(length)] = count;
    return {{"entities", entities},
            {"unique", unique},
            {"mean_tokens", meanTokens},
            {"length_histogram", histogram},
            {"collisions_resolved", collisionsResolved},
            {"escalations", escalations},
            {"escalated_entities", escalatedEntities},
            {"length_escalations", lengthEscalations},
            {"fallbacks", fallbacks},
            {"empty_candidates", emptyCandidates},
            {"seconds", seconds},
            {"order", order}};
}

IdStats IdStats::fromJson(const nlohmann::json &json)
{
    IdStats stats;
    if (!json.is_object())
        return stats;
    auto count = [&](const char *key) { return json.value(key, std::size_t(0)); };
    stats.entities = count("entities");
    stats.unique = count("unique");
    stats.meanTokens = json.value("mean_tokens", 0.0);
    if (const auto it = json.find("length_histogram"); it != json.end() && it->is_object()) {
        for (const auto &[length, value] : it->items())
            stats.lengthHistogram[std::stoul(length)] = value.get<std::size_t>();
    }
    stats.collisionsResolved = count("collisions_resolved");
    stats.escalations = count("escalations");
    stats.escalatedEntities = count("escalated_entities");
    stats.lengthEscalations = count("length_escalations");
    stats.fallbacks = count("fallbacks");
    stats.emptyCandidates = count("empty_candidates");
    stats.seconds = json.value("seconds", 0.0);
    stats.order = json.value("order", std::string());
    return stats;
}

void IdTable::computeShapeStats()
{
    stats.entities = texts.size();
    stats.unique = std::unordered_set<std::string_view>(texts.begin(), texts.end()).size();
    stats.lengthHistogram.clear();
    std::size_t total = 0;
    for (const auto &ids : tokens) {
        total += ids.size();
        ++stats.lengthHistogram[ids.size()];
    }
    stats.meanTokens = tokens.empty() ? 0.0 : static_cast<double>(total) / static_cast<double>(tokens.size());
}

CodeUsage CodeUsage::of(int level, std::size_t codes, std::span<const int> codeOfItem)
{
    CodeUsage usage;
    usage.level = level;
    usage.codes = codes;
    std::vector<std::size_t> counts(codes, 0);
    std::size_t total = 0;
    for (const int code : codeOfItem) {
        if (code < 0)
            continue;
        if (static_cast<std::size_t>(code) >= codes)
            throw Error("code " + std::to_string(code) + " of level " + std::to_string(level) + " is outside its " +
                        std::to_string(codes) + " codes");
        ++counts[static_cast<std::size_t>(code)];
        ++total;
    }
    for (const std::size_t count : counts) {
        if (count == 0)
            continue;
        ++usage.used;
        const double p = static_cast<double>(count) / static_cast<double>(total);
        usage.entropy -= p * std::log2(p);
    }
    return usage;
}

nlohmann::json CodeUsage::toJson() const
{
    return {{"level", level},
            {"codes", codes},
            {"used", used},
            {"unused", codes - used},
            {"entropy", entropy},
            {"max_entropy", codes > 0 ? std::log2(static_cast<double>(codes)) : 0.0}};
}

nlohmann::json IdSchemeRecord::toJson() const
{
    nlohmann::json usage = nlohmann::json::array();
    for (const CodeUsage &level : codeUsage)
        usage.push_back(level.toJson());
    return {{"seconds", seconds},
            {"mean_id_tokens", meanIdTokens},
            {"collisions_before_dedup", collisionsBeforeDedup ? nlohmann::json(*collisionsBeforeDedup) : nlohmann::json()},
            {"code_usage", usage},
            {"details", details}};
}

IdSchemeRecord IdSchemeRecord::fromJson(const nlohmann::json &json)
{
    IdSchemeRecord record;
    if (!json.is_object())
        return record;
    record.seconds = json.value("seconds", 0.0);
    record.meanIdTokens = json.value("mean_id_tokens", 0.0);
    if (const auto it = json.find("collisions_before_dedup"); it != json.end() && it->is_number())
        record.collisionsBeforeDedup = it->get<std::size_t>();
    if (const auto it = json.find("code_usage"); it != json.end() && it->is_array()) {
        for (const auto &level : *it)
            record.codeUsage.push_back({level.value("level", 1), level.value("codes", std::size_t(0)),
                                        level.value("used", std::size_t(0)), level.value("entropy", 0.0)});
    }
    record.details = json.value("details", nlohmann::json::object());
    return record;
}

nlohmann::json IdSnapshot::statsJson() const
{
    return {{"items", items.stats.toJson()},
            {"users", users.stats.toJson()},
            {"scheme", record.toJson()},
            {"added_tokens", addedTokens}};
}

void IdSnapshot::readStatsJson(const nlohmann::json &stats)
{
    if (!stats.is_object())
        return;
    items.stats = IdStats::fromJson(stats.value("items", nlohmann::json::object()));
    users.stats = IdStats::fromJson(stats.value("users", nlohmann::json::object()));
    record = IdSchemeRecord::fromJson(stats.value("scheme", nlohmann::json::object()));
    if (const auto it = stats.find("added_tokens"); it != stats.end() && it->is_array())
        addedTokens = it->get<std::vector<std::string>>();
}

} // namespace idgen
