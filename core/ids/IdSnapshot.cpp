#include "ids/IdSnapshot.h"

#include "util/Error.h"

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

nlohmann::json IdSnapshot::statsJson() const
{
    return {{"items", items.stats.toJson()}, {"users", users.stats.toJson()}};
}

} // namespace idgen
