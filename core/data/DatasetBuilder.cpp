#include "data/DatasetBuilder.h"

#include "util/Error.h"

#include <algorithm>
#include <limits>

namespace idgen {

DatasetBuilder::DatasetBuilder() = default;

std::uint32_t DatasetBuilder::indexOf(IndexMap &map, std::vector<std::string> &rawIds, std::string_view rawId)
{
    const auto found = map.find(rawId);
    if (found != map.end())
        return found->second;
    if (rawIds.size() >= std::numeric_limits<std::uint32_t>::max())
        throw Error("too many distinct ids (more than 4 billion)");
    const auto index = static_cast<std::uint32_t>(rawIds.size());
    rawIds.emplace_back(rawId);
    map.emplace(rawIds.back(), index);
    return index;
}

void DatasetBuilder::addInteraction(std::string_view userRawId, std::string_view itemRawId,
                                    std::optional<std::int64_t> timestamp)
{
    if (m_finished)
        throw Error("internal: interaction added after finishInteractions()");
    if (!m_hasTimestamps)
        m_hasTimestamps = timestamp.has_value();
    else if (*m_hasTimestamps != timestamp.has_value())
        throw Error("internal: an importer mixed rows with and without timestamps");
    const std::uint32_t user = indexOf(m_userIndex, m_userRawIds, userRawId);
    const std::uint32_t item = indexOf(m_itemIndex, m_itemRawIds, itemRawId);
    m_rows.push_back({user, item, timestamp.value_or(0)});
}

bool DatasetBuilder::hasUser(std::string_view userRawId) const
{
    return m_userIndex.find(userRawId) != m_userIndex.end();
}

bool DatasetBuilder::hasItem(std::string_view itemRawId) const
{
    return m_itemIndex.find(itemRawId) != m_itemIndex.end();
}

void DatasetBuilder::finishInteractions(int kcore)
{
    if (m_rows.empty())
        throw Error("the interactions file holds no interactions");
    m_dataset.report.interactionRows = m_rows.size();
    groupByUserInTimeOrder();
    applyKCore(kcore);
    buildDataset();
    m_finished = true;
}

void DatasetBuilder::groupByUserInTimeOrder()
{
    // Counting sort by user keeps file order within a user; a stable sort by time then keeps file
    // order among equal timestamps.
    std::vector<std::uint64_t> start(m_userRawIds.size() + 1, 0);
    for (const Row &row : m_rows)
        ++start[row.user + 1];
    for (std::size_t u = 1; u < start.size(); ++u)
        start[u] += start[u - 1];
    std::vector<Row> grouped(m_rows.size());
    std::vector<std::uint64_t> next(start.begin(), start.end() - 1);
    for (const Row &row : m_rows)
        grouped[next[row.user]++] = row;
    m_rows = std::move(grouped);
    if (!m_hasTimestamps.value_or(false))
        return;
    std::uint64_t ties = 0;
    for (std::size_t u = 0; u + 1 < start.size(); ++u) {
        const auto first = m_rows.begin() + static_cast<std::ptrdiff_t>(start[u]);
        const auto last = m_rows.begin() + static_cast<std::ptrdiff_t>(start[u + 1]);
        std::stable_sort(first, last, [](const Row &a, const Row &b) { return a.timestamp < b.timestamp; });
        for (auto it = first; it != last && it + 1 != last; ++it)
            ties += it->timestamp == (it + 1)->timestamp ? 1 : 0;
    }
    m_dataset.report.timestampTies = ties;
}

void DatasetBuilder::applyKCore(int k)
{
    ImportReport &report = m_dataset.report;
    report.kcore = k;
    if (k <= 1)
        return;
    const auto threshold = static_cast<std::uint64_t>(k);
    std::vector<std::uint64_t> userCount(m_userRawIds.size());
    std::vector<std::uint64_t> itemCount(m_itemRawIds.size());
    const std::uint64_t before = m_rows.size();
    // Rows are counted with repeats: a user who bought the same item twice has two interactions.
    for (;;) {
        std::fill(userCount.begin(), userCount.end(), 0);
        std::fill(itemCount.begin(), itemCount.end(), 0);
        for (const Row &row : m_rows) {
            ++userCount[row.user];
            ++itemCount[row.item];
        }
        const auto kept = std::remove_if(m_rows.begin(), m_rows.end(), [&](const Row &row) {
            return userCount[row.user] < threshold || itemCount[row.item] < threshold;
        });
        if (kept == m_rows.end())
            break;
        m_rows.erase(kept, m_rows.end());
        ++report.kcoreIterations;
    }
    report.kcoreRemovedInteractions = before - m_rows.size();
    if (m_rows.empty())
        throw Error("the " + std::to_string(k) + "-core filter removed every interaction; try a smaller --kcore");
}

void DatasetBuilder::buildDataset()
{
    // Dense indices in order of first appearance in the file, over the rows that remain.
    constexpr auto kUnused = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> userMap(m_userRawIds.size(), kUnused);
    std::vector<std::uint32_t> itemMap(m_itemRawIds.size(), kUnused);
    for (const Row &row : m_rows) {
        userMap[row.user] = 0;
        itemMap[row.item] = 0;
    }
    auto compact = [](std::vector<std::uint32_t> &map, std::vector<std::string> &rawIds, IndexMap &index) {
        std::vector<std::string> kept;
        for (std::size_t old = 0; old < map.size(); ++old) {
            if (map[old] == kUnused)
                continue;
            map[old] = static_cast<std::uint32_t>(kept.size());
            kept.push_back(std::move(rawIds[old]));
        }
        index.clear();
        for (std::size_t i = 0; i < kept.size(); ++i)
            index.emplace(kept[i], static_cast<std::uint32_t>(i));
        return kept;
    };
    Dataset &d = m_dataset;
    const std::size_t usersBefore = m_userRawIds.size();
    const std::size_t itemsBefore = m_itemRawIds.size();
    d.userRawIds = compact(userMap, m_userRawIds, m_userIndex);
    d.itemRawIds = compact(itemMap, m_itemRawIds, m_itemIndex);
    d.report.kcoreRemovedUsers = usersBefore - d.userRawIds.size();
    d.report.kcoreRemovedItems = itemsBefore - d.itemRawIds.size();
    m_userRawIds.clear();
    m_itemRawIds.clear();

    // Users keep their relative order, so rows (grouped by old user index) stay grouped.
    d.sequenceOffsets.assign(d.userRawIds.size() + 1, 0);
    d.sequenceItems.reserve(m_rows.size());
    const bool timestamps = m_hasTimestamps.value_or(false);
    if (timestamps)
        d.sequenceTimestamps.reserve(m_rows.size());
    for (const Row &row : m_rows) {
        ++d.sequenceOffsets[userMap[row.user] + 1];
        d.sequenceItems.push_back(itemMap[row.item]);
        if (timestamps)
            d.sequenceTimestamps.push_back(row.timestamp);
    }
    for (std::size_t u = 1; u < d.sequenceOffsets.size(); ++u)
        d.sequenceOffsets[u] += d.sequenceOffsets[u - 1];
    m_rows.clear();
    m_rows.shrink_to_fit();
    d.itemFields.assign(d.itemRawIds.size(), ItemFields());
    m_metadataLine.assign(d.itemRawIds.size(), 0);
}

bool DatasetBuilder::setItemFields(std::string_view itemRawId, ItemFields fields, const std::string &file,
                                   std::uint64_t line, Duplicates duplicates)
{
    if (!m_finished)
        throw Error("internal: item metadata added before finishInteractions()");
    ++m_dataset.report.metadataRecords;
    const auto found = m_itemIndex.find(itemRawId);
    if (found == m_itemIndex.end()) {
        ++m_dataset.report.metadataIgnored;
        return false;
    }
    const std::uint32_t item = found->second;
    if (m_metadataLine[item] != 0 && duplicates == Duplicates::KeepFirst) {
        ++m_dataset.report.metadataDuplicates;
        return false;
    }
    if (m_metadataLine[item] != 0)
        throw InputError(file, line, "item id",
                         "duplicate item id '" + std::string(itemRawId) + "' (first seen at line " +
                             std::to_string(m_metadataLine[item]) + ")");
    m_metadataLine[item] = line;
    m_dataset.itemFields[item] = std::move(fields);
    return true;
}

Dataset DatasetBuilder::take()
{
    if (!m_finished)
        throw Error("internal: dataset taken before finishInteractions()");
    m_dataset.report.itemsWithoutText = m_dataset.itemCount() - m_dataset.itemsWithText();
    if (m_dataset.report.metadataDuplicates > 0)
        m_dataset.report.warnings.push_back(std::to_string(m_dataset.report.metadataDuplicates) +
                                            " repeated metadata records were skipped (the first record of each item is kept)");
    Dataset out = std::move(m_dataset);
    *this = DatasetBuilder();
    return out;
}

} // namespace idgen
