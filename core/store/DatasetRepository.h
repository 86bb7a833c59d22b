#pragma once

#include "data/Dataset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

class Database;

struct DatasetInfo {
    std::int64_t id = 0;
    std::string name;
    std::string format;
    std::string createdAt;
    int kcore = 0;
    std::string contentHash;
    std::int64_t users = 0;
    std::int64_t items = 0;
    std::int64_t interactions = 0;
    std::int64_t itemsWithText = 0;
    bool hasTimestamps = false;
    ImportReport report;
};

// Filters for the item and user tables of the GUI and CLI.
struct RowFilter {
    std::string text;         // substring of raw id or text fields (case-insensitive for ASCII)
    std::string regex;        // ECMAScript regex over raw id and text fields
    std::optional<std::int64_t> minCount; // interactions of the item / sequence length of the user
    std::optional<std::int64_t> maxCount;
    enum class Order { Index, RawId, CountAscending, CountDescending } order = Order::Index;
};

struct ItemRow {
    std::int64_t index = 0;
    std::string rawId;
    std::string title;
    std::string fieldsJson;
    std::int64_t interactions = 0;
};

struct SequenceEntry {
    std::string rawId;
    std::string title;
    std::optional<std::int64_t> timestamp;
};

struct UserRow {
    std::int64_t index = 0;
    std::string rawId;
    std::int64_t sequenceLength = 0;
};

// Reads and writes datasets in a project file.
class DatasetRepository {
public:
    explicit DatasetRepository(const Database &db) : m_db(db) {}

    // Stores a dataset in one transaction; throws when the name is taken (unless replace).
    std::int64_t save(const std::string &name, const Dataset &dataset, bool replace = false);
    std::vector<DatasetInfo> list() const;
    std::optional<DatasetInfo> find(const std::string &name) const;
    DatasetInfo get(const std::string &name) const; // throws listing the datasets when missing
    void remove(const std::string &name);
    Dataset load(const std::string &name) const;

    std::int64_t countItems(std::int64_t datasetId, const RowFilter &filter) const;
    std::vector<ItemRow> items(std::int64_t datasetId, const RowFilter &filter, std::int64_t offset,
                               std::int64_t limit) const;
    std::int64_t countUsers(std::int64_t datasetId, const RowFilter &filter) const;
    std::vector<UserRow> users(std::int64_t datasetId, const RowFilter &filter, std::int64_t offset,
                               std::int64_t limit) const;
    // One user's items in time order with their titles (the first `limit`; -1: all), in one query.
    std::vector<SequenceEntry> userSequence(std::int64_t datasetId, std::int64_t userIndex,
                                            std::int64_t limit = -1) const;

private:
    const Database &m_db;
};

} // namespace idgen
