#pragma once

#include "ids/IdSnapshot.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

class Database;

// One entity's stored ID.
struct IdEntry {
    IdKind kind = IdKind::Item;
    std::int64_t index = 0; // dense item or user index of the dataset
    std::string rawId;      // the dataset's raw id of that entity
    std::string text;
    std::vector<int> tokens;
};

// ID snapshots of a project's datasets (tables id_snapshots and id_entries). A snapshot belongs
// to one dataset and goes with it when the dataset is removed; it is never changed after saving.
class IdSnapshotRepository {
public:
    explicit IdSnapshotRepository(const Database &db) : m_db(db) {}

    // Stores the snapshot in one transaction and returns its id. Throws (writing nothing) when
    // the dataset is unknown, the item table does not cover every item, a user table is neither
    // empty nor complete, texts and tokens disagree in number, or an ID is empty or repeated.
    // The tokenizer is linked by snapshot.tokenizerId when set, else by name.
    std::int64_t save(const IdSnapshot &snapshot);
    // Snapshots of one dataset, or of all when `dataset` is empty, oldest first.
    std::vector<IdSnapshotInfo> list(const std::string &dataset = {}) const;
    std::optional<IdSnapshotInfo> find(std::int64_t id) const;
    // Throws an Error listing the project's snapshots when there is none with that id.
    IdSnapshotInfo get(std::int64_t id) const;
    // The same, and an Error naming both datasets when the snapshot belongs to another one.
    IdSnapshotInfo getOfDataset(std::int64_t id, const std::string &dataset) const;
    // The whole snapshot, items and users; throws like get().
    IdSnapshot load(std::int64_t id) const;
    // The entity whose ID is `text` (normalised first, so "Rose Oil!" finds "rose oil").
    std::optional<IdEntry> findByText(std::int64_t id, IdKind kind, std::string_view text) const;
    // Entries in index order, a page at a time (limit < 0: all).
    std::vector<IdEntry> entries(std::int64_t id, IdKind kind, std::int64_t offset = 0, std::int64_t limit = -1) const;
    // Throws like get() when there is no such snapshot.
    void remove(std::int64_t id);

private:
    const Database &m_db;
};

// int32 little endian, the layout of id_entries.tokens.
std::string packTokens(const std::vector<int> &tokens);
std::vector<int> unpackTokens(std::string_view bytes);

} // namespace idgen
