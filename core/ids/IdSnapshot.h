#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

// Items and users have separate ID namespaces (method.md section 1).
enum class IdKind { Item, User };
const char *idKindName(IdKind kind); // "item" or "user", as stored
IdKind parseIdKind(std::string_view name); // throws an Error for anything else

// What an assignment did for one kind of entity; stored with the snapshot as JSON.
struct IdStats {
    std::size_t entities = 0;
    std::size_t unique = 0;           // distinct ID texts (equals entities for a valid table)
    double meanTokens = 0.0;          // per ID, eos not counted
    std::map<std::size_t, std::size_t> lengthHistogram; // tokens -> IDs of that length
    // Entities that did not get their first candidate (a collision or an empty first candidate
    // pushed them further down their list, to an escalation, or to the fallback).
    std::size_t collisionsResolved = 0;
    std::size_t escalations = 0;      // re-asks of the candidate source with escalated settings
    std::size_t escalatedEntities = 0; // entities re-asked at least once
    std::size_t lengthEscalations = 0; // escalations that raised the minimum length
    std::size_t fallbacks = 0;        // entities given "best candidate + suffix" or "item N"
    std::size_t emptyCandidates = 0;  // candidates that normalised to nothing and were skipped
    double seconds = 0.0;
    std::string order;                // the fixed processing order, e.g. "item index"

    nlohmann::json toJson() const;
    static IdStats fromJson(const nlohmann::json &json); // tolerant: missing keys stay zero
};

// The IDs of one kind of entity, by dense index: normalised text and its token ids (no eos).
struct IdTable {
    std::vector<std::string> texts;
    std::vector<std::vector<int>> tokens;
    IdStats stats;

    std::size_t size() const { return texts.size(); }
    bool empty() const { return texts.empty(); }
    void push(std::string text, std::vector<int> ids)
    {
        texts.push_back(std::move(text));
        tokens.push_back(std::move(ids));
    }
    // Fills entities, unique, meanTokens and lengthHistogram from the table's contents.
    void computeShapeStats();
};

// How evenly a scheme uses the codes of one level of its IDs (CID's cluster tokens, an RQ-VAE's
// codebook): the entropy of the level's code over the items, in bits (log2(codes) when even).
struct CodeUsage {
    int level = 1;         // 1-based
    std::size_t codes = 0; // codes available at this level
    std::size_t used = 0;  // codes at least one item has
    double entropy = 0.0;  // bits

    // codeOfItem: each item's code at this level, -1 for items whose ID has no such level.
    static CodeUsage of(int level, std::size_t codes, std::span<const int> codeOfItem);
    nlohmann::json toJson() const; // adds "unused" and "max_entropy"
};

// What every scheme records with its snapshot (stats "scheme"), whatever it is.
struct IdSchemeRecord {
    double seconds = 0.0;        // the scheme's own work, items and users
    double meanIdTokens = 0.0;   // item IDs, eos not counted
    // Items whose ID the scheme had to change to make it unique (the same title, the same cluster
    // path, the same codes); empty: the scheme's unique-ID assigner count (collisions resolved).
    std::optional<std::size_t> collisionsBeforeDedup;
    std::vector<CodeUsage> codeUsage; // per level, where IDs are codes
    nlohmann::json details = nlohmann::json::object(); // scheme-specific figures (e.g. CID's levels)

    nlohmann::json toJson() const;
    static IdSchemeRecord fromJson(const nlohmann::json &json); // tolerant, like IdStats
};

// One assignment of IDs to a dataset's items (and users), as stored in a project file.
struct IdSnapshot {
    std::int64_t id = 0; // 0 until saved
    std::string dataset;
    std::string tokenizer;                  // name of the tokenizer that encoded the IDs
    std::optional<std::int64_t> tokenizerId; // empty once that tokenizer was replaced or removed
    std::string scheme;                     // textual, title, sequential, file
    int round = 0;                          // alternate-training round (0: initial IDs)
    std::string name;
    std::string createdAt;
    nlohmann::json options = nlohmann::json::object();
    IdTable items;
    IdTable users; // empty when the scheme gave users no IDs
    // Tokens the snapshot adds to its tokenizer's vocabulary ("<a_17>", "<c_1_3>"): token id
    // tokenizer.vocabSize() + position. Recommenders trained on the snapshot read and write them
    // (SnapshotVocabulary.h); kept in stats "added_tokens".
    std::vector<std::string> addedTokens;
    IdSchemeRecord record;

    const IdTable &table(IdKind kind) const { return kind == IdKind::Item ? items : users; }
    IdTable &table(IdKind kind) { return kind == IdKind::Item ? items : users; }
    // {"items": {...}, "users": {...}, "scheme": {...}, "added_tokens": [...]} as stored in
    // id_snapshots.stats.
    nlohmann::json statsJson() const;
    // Reads back what statsJson() wrote (older snapshots: no record, no added tokens).
    void readStatsJson(const nlohmann::json &stats);
};

// A snapshot without its entries, for lists.
struct IdSnapshotInfo {
    std::int64_t id = 0;
    std::string dataset;
    std::string tokenizer;
    std::optional<std::int64_t> tokenizerId;
    std::string scheme;
    int round = 0;
    std::string name;
    std::string createdAt;
    nlohmann::json options = nlohmann::json::object();
    nlohmann::json stats = nlohmann::json::object();
    std::int64_t items = 0;
    std::int64_t users = 0;
};

} // namespace idgen
