#include "store/DatasetRepository.h"

#include "store/Database.h"
#include "util/Clock.h"
#include "util/Error.h"

namespace idgen {
namespace {

constexpr const char *kInfoColumns =
    "id, name, format, created_at, kcore, content_hash, user_count, item_count, interaction_count, "
    "items_with_text, has_timestamps, report";

DatasetInfo readInfo(const Statement &row)
{
    DatasetInfo info;
    info.id = row.integer(0);
    info.name = row.text(1);
    info.format = row.text(2);
    info.createdAt = row.text(3);
    info.kcore = static_cast<int>(row.integer(4));
    info.contentHash = row.text(5);
    info.users = row.integer(6);
    info.items = row.integer(7);
    info.interactions = row.integer(8);
    info.itemsWithText = row.integer(9);
    info.hasTimestamps = row.integer(10) != 0;
    info.report = importReportFromJson(nlohmann::json::parse(row.textView(11)));
    return info;
}

std::string escapeLike(const std::string &text)
{
    std::string out = "%";
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    return out + "%";
}

// Builds "WHERE ..." for a filter over a table whose searchable text columns are given; binds
// parameters in order ?2, ?3, ... (?1 is the dataset id).
struct FilterSql {
    std::string where;
    std::vector<std::string> texts;
    std::vector<std::int64_t> numbers;
};

FilterSql filterSql(const RowFilter &filter, const std::string &textColumns, const std::string &countColumn)
{
    FilterSql sql;
    sql.where = " WHERE dataset_id = ?1";
    int parameter = 2;
    if (!filter.text.empty()) {
        const std::string p = "?" + std::to_string(parameter++);
        sql.where += " AND (" + textColumns + ") LIKE " + p + " ESCAPE '\\'";
        sql.texts.push_back(escapeLike(filter.text));
    }
    if (!filter.regex.empty()) {
        const std::string p = "?" + std::to_string(parameter++);
        sql.where += " AND (" + textColumns + ") REGEXP " + p;
        sql.texts.push_back(filter.regex);
    }
    if (filter.minCount) {
        sql.where += " AND " + countColumn + " >= ?" + std::to_string(parameter++);
        sql.numbers.push_back(*filter.minCount);
    }
    if (filter.maxCount) {
        sql.where += " AND " + countColumn + " <= ?" + std::to_string(parameter++);
        sql.numbers.push_back(*filter.maxCount);
    }
    return sql;
}

void bindFilter(Statement &statement, const FilterSql &sql, std::int64_t datasetId)
{
    statement.bind(1, datasetId);
    int parameter = 2;
    for (const auto &text : sql.texts)
        statement.bind(parameter++, std::string_view(text));
    for (const auto number : sql.numbers)
        statement.bind(parameter++, number);
}

std::string orderSql(RowFilter::Order order, const std::string &countColumn)
{
    switch (order) {
    case RowFilter::Order::RawId: return " ORDER BY raw_id";
    case RowFilter::Order::CountAscending: return " ORDER BY " + countColumn + ", idx";
    case RowFilter::Order::CountDescending: return " ORDER BY " + countColumn + " DESC, idx";
    case RowFilter::Order::Index: break;
    }
    return " ORDER BY idx";
}

const std::string kItemText = "raw_id || ' ' || coalesce(fields, '')";

} // namespace

std::int64_t DatasetRepository::save(const std::string &name, const Dataset &dataset, bool replace)
{
    if (name.empty())
        throw Error("a dataset needs a name");
    dataset.validate();
    Transaction transaction(m_db);
    if (find(name)) {
        if (!replace)
            throw Error("the project already has a dataset named '" + name + "' (choose another name, or replace it)");
        remove(name);
    }
    auto insertDataset = m_db.prepare(
        "INSERT INTO datasets (name, format, created_at, kcore, content_hash, user_count, item_count, "
        "interaction_count, items_with_text, has_timestamps, report) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    const std::string format = dataset.report.itemsFormat.empty() || dataset.report.itemsFormat == dataset.report.format
                                   ? dataset.report.format
                                   : dataset.report.format + "+" + dataset.report.itemsFormat;
    insertDataset.bind(1, std::string_view(name))
        .bind(2, std::string_view(format))
        .bind(3, std::string_view(nowIso8601()))
        .bind(4, dataset.report.kcore)
        .bind(5, std::string_view(dataset.contentHash()))
        .bind(6, static_cast<std::int64_t>(dataset.userCount()))
        .bind(7, static_cast<std::int64_t>(dataset.itemCount()))
        .bind(8, static_cast<std::int64_t>(dataset.interactionCount()))
        .bind(9, static_cast<std::int64_t>(dataset.itemsWithText()))
        .bind(10, dataset.hasTimestamps() ? 1 : 0)
        .bind(11, std::string_view(toJson(dataset.report).dump()));
    insertDataset.run();
    const std::int64_t id = m_db.lastInsertId();

    std::vector<std::int64_t> itemCounts(dataset.itemCount(), 0);
    for (const auto item : dataset.sequenceItems)
        ++itemCounts[item];
    auto insertItem = m_db.prepare(
        "INSERT INTO items (dataset_id, idx, raw_id, fields, interaction_count) VALUES (?,?,?,?,?)");
    for (std::size_t i = 0; i < dataset.itemCount(); ++i) {
        insertItem.bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, std::string_view(dataset.itemRawIds[i]));
        if (dataset.itemFields[i].is_null())
            insertItem.bindNull(4);
        else
            insertItem.bind(4, std::string_view(dataset.itemFields[i].dump(-1, ' ', false,
                                                                           nlohmann::json::error_handler_t::replace)));
        insertItem.bind(5, itemCounts[i]);
        insertItem.run();
    }
    auto insertUser = m_db.prepare("INSERT INTO users (dataset_id, idx, raw_id, sequence_length) VALUES (?,?,?,?)");
    auto insertInteraction = m_db.prepare(
        "INSERT INTO interactions (dataset_id, user_idx, position, item_idx, timestamp) VALUES (?,?,?,?,?)");
    for (std::size_t u = 0; u < dataset.userCount(); ++u) {
        const auto begin = dataset.sequenceOffsets[u];
        const auto end = dataset.sequenceOffsets[u + 1];
        insertUser.bind(1, id)
            .bind(2, static_cast<std::int64_t>(u))
            .bind(3, std::string_view(dataset.userRawIds[u]))
            .bind(4, static_cast<std::int64_t>(end - begin));
        insertUser.run();
        for (auto offset = begin; offset < end; ++offset) {
            insertInteraction.bind(1, id)
                .bind(2, static_cast<std::int64_t>(u))
                .bind(3, static_cast<std::int64_t>(offset - begin))
                .bind(4, static_cast<std::int64_t>(dataset.sequenceItems[offset]));
            if (dataset.hasTimestamps())
                insertInteraction.bind(5, dataset.sequenceTimestamps[offset]);
            insertInteraction.run();
        }
    }
    transaction.commit();
    return id;
}

std::vector<DatasetInfo> DatasetRepository::list() const
{
    auto statement = m_db.prepare(std::string("SELECT ") + kInfoColumns + " FROM datasets ORDER BY id");
    std::vector<DatasetInfo> out;
    while (statement.step())
        out.push_back(readInfo(statement));
    return out;
}

std::optional<DatasetInfo> DatasetRepository::find(const std::string &name) const
{
    auto statement = m_db.prepare(std::string("SELECT ") + kInfoColumns + " FROM datasets WHERE name = ?");
    statement.bind(1, std::string_view(name));
    if (!statement.step())
        return std::nullopt;
    return readInfo(statement);
}

DatasetInfo DatasetRepository::get(const std::string &name) const
{
    if (auto info = find(name))
        return *info;
    std::string names;
    for (const auto &info : list())
        names += (names.empty() ? "" : ", ") + info.name;
    throw Error("no dataset named '" + name + "' in " + m_db.path().string() +
                (names.empty() ? " (it has no datasets yet)" : " (it has: " + names + ")"));
}

void DatasetRepository::remove(const std::string &name)
{
    auto statement = m_db.prepare("DELETE FROM datasets WHERE name = ?");
    statement.bind(1, std::string_view(name));
    statement.run();
}

Dataset DatasetRepository::load(const std::string &name) const
{
    const DatasetInfo info = get(name);
    Dataset dataset;
    dataset.report = info.report;
    auto items = m_db.prepare("SELECT raw_id, fields FROM items WHERE dataset_id = ? ORDER BY idx");
    items.bind(1, info.id);
    while (items.step()) {
        dataset.itemRawIds.push_back(items.text(0));
        dataset.itemFields.push_back(items.isNull(1) ? ItemFields() : ItemFields::parse(items.textView(1)));
    }
    auto users = m_db.prepare("SELECT raw_id, sequence_length FROM users WHERE dataset_id = ? ORDER BY idx");
    users.bind(1, info.id);
    dataset.sequenceOffsets.push_back(0);
    while (users.step()) {
        dataset.userRawIds.push_back(users.text(0));
        dataset.sequenceOffsets.push_back(dataset.sequenceOffsets.back() + static_cast<std::uint64_t>(users.integer(1)));
    }
    auto interactions = m_db.prepare(
        "SELECT item_idx, timestamp FROM interactions WHERE dataset_id = ? ORDER BY user_idx, position");
    interactions.bind(1, info.id);
    dataset.sequenceItems.reserve(static_cast<std::size_t>(info.interactions));
    while (interactions.step()) {
        dataset.sequenceItems.push_back(static_cast<std::uint32_t>(interactions.integer(0)));
        if (info.hasTimestamps)
            dataset.sequenceTimestamps.push_back(interactions.integer(1));
    }
    return dataset;
}

std::int64_t DatasetRepository::countItems(std::int64_t datasetId, const RowFilter &filter) const
{
    const FilterSql sql = filterSql(filter, kItemText, "interaction_count");
    auto statement = m_db.prepare("SELECT count(*) FROM items" + sql.where);
    bindFilter(statement, sql, datasetId);
    return statement.step() ? statement.integer(0) : 0;
}

std::vector<ItemRow> DatasetRepository::items(std::int64_t datasetId, const RowFilter &filter, std::int64_t offset,
                                              std::int64_t limit) const
{
    const FilterSql sql = filterSql(filter, kItemText, "interaction_count");
    auto statement = m_db.prepare(
        "SELECT idx, raw_id, coalesce(json_extract(fields, '$.title'), ''), coalesce(fields, ''), interaction_count "
        "FROM items" + sql.where + orderSql(filter.order, "interaction_count") + " LIMIT ? OFFSET ?");
    bindFilter(statement, sql, datasetId);
    const int next = 2 + static_cast<int>(sql.texts.size() + sql.numbers.size());
    statement.bind(next, limit).bind(next + 1, offset);
    std::vector<ItemRow> rows;
    while (statement.step())
        rows.push_back({statement.integer(0), statement.text(1), statement.text(2), statement.text(3), statement.integer(4)});
    return rows;
}

std::int64_t DatasetRepository::countUsers(std::int64_t datasetId, const RowFilter &filter) const
{
    const FilterSql sql = filterSql(filter, "raw_id", "sequence_length");
    auto statement = m_db.prepare("SELECT count(*) FROM users" + sql.where);
    bindFilter(statement, sql, datasetId);
    return statement.step() ? statement.integer(0) : 0;
}

std::vector<UserRow> DatasetRepository::users(std::int64_t datasetId, const RowFilter &filter, std::int64_t offset,
                                              std::int64_t limit) const
{
    const FilterSql sql = filterSql(filter, "raw_id", "sequence_length");
    auto statement = m_db.prepare("SELECT idx, raw_id, sequence_length FROM users" + sql.where +
                                  orderSql(filter.order, "sequence_length") + " LIMIT ? OFFSET ?");
    bindFilter(statement, sql, datasetId);
    const int next = 2 + static_cast<int>(sql.texts.size() + sql.numbers.size());
    statement.bind(next, limit).bind(next + 1, offset);
    std::vector<UserRow> rows;
    while (statement.step())
        rows.push_back({statement.integer(0), statement.text(1), statement.integer(2)});
    return rows;
}

std::vector<SequenceEntry> DatasetRepository::userSequence(std::int64_t datasetId, std::int64_t userIndex,
                                                           std::int64_t limit) const
{
    auto statement = m_db.prepare(
        "SELECT it.raw_id, coalesce(json_extract(it.fields, '$.title'), ''), i.timestamp "
        "FROM interactions i JOIN items it ON it.dataset_id = i.dataset_id AND it.idx = i.item_idx "
        "WHERE i.dataset_id = ? AND i.user_idx = ? ORDER BY i.position LIMIT ?");
    statement.bind(1, datasetId).bind(2, userIndex).bind(3, limit);
    std::vector<SequenceEntry> out;
    while (statement.step()) {
        SequenceEntry entry{statement.text(0), statement.text(1), std::nullopt};
        if (!statement.isNull(2))
            entry.timestamp = statement.integer(2);
        out.push_back(std::move(entry));
    }
    return out;
}

} // namespace idgen
