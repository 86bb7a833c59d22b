#include "data/DatasetBuilder.h"

#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/TextReader.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace idgen {

DatasetBuilder::DatasetBuilder() = default;

namespace {

// How many ids of unmatched metadata records are kept to explain a mismatch.
constexpr std::size_t kUnmatchedSampleSize = 1000;

std::string idTooLong(std::string_view id)
{
    return "id is " + byteSizeText(id.size()) + " long, more than the " + byteSizeText(kMaxIdBytes) +
           " an id may have (is it the right column?)";
}

std::optional<std::int64_t> integerId(std::string_view id)
{
    std::int64_t value = 0;
    const auto result = std::from_chars(id.data(), id.data() + id.size(), value);
    if (id.empty() || result.ec != std::errc() || result.ptr != id.data() + id.size())
        return std::nullopt;
    return value;
}

std::string quotedList(const std::vector<std::string> &ids, std::size_t count)
{
    std::string text;
    for (std::size_t i = 0; i < std::min(count, ids.size()); ++i)
        text += (i ? ", '" : "'") + ids[i] + "'";
    return text;
}

// The first text field of a metadata record longer than kMaxTextFieldBytes, if any.
const char *tooLongField(const ItemFields &fields, std::string &name)
{
    if (!fields.is_object())
        return nullptr;
    for (const auto &[key, value] : fields.items()) {
        const bool longText = value.is_string() && value.get_ref<const std::string &>().size() > kMaxTextFieldBytes;
        const bool longList = value.is_array() && value.dump().size() > kMaxTextFieldBytes;
        if (longText || longList) {
            name = key;
            return longText ? "text" : "list";
        }
    }
    return nullptr;
}

} // namespace

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
    if (userRawId.size() > kMaxIdBytes || itemRawId.size() > kMaxIdBytes) {
        const bool user = userRawId.size() > kMaxIdBytes;
        const std::string field = user ? "user id" : "item id";
        const std::string problem = idTooLong(user ? userRawId : itemRawId);
        if (m_source)
            m_source->fail(field, problem);
        throw InputError("(interactions)", 0, field, problem);
    }
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
    m_source = nullptr; // the reader is gone once the interactions are read
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
    if (itemRawId.size() > kMaxIdBytes)
        throw InputError(file, line, "item id", idTooLong(itemRawId));
    std::string longField;
    if (const char *what = tooLongField(fields, longField))
        throw InputError(file, line, longField,
                         std::string(what) + " longer than the " + byteSizeText(kMaxTextFieldBytes) + " a field may have");
    const auto found = m_itemIndex.find(itemRawId);
    if (found == m_itemIndex.end()) {
        ++m_dataset.report.metadataIgnored;
        if (m_unmatchedSample.size() < kUnmatchedSampleSize)
            m_unmatchedSample.emplace_back(itemRawId);
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

std::string DatasetBuilder::idSpaceHint() const
{
    const auto &items = m_dataset.itemRawIds;
    std::size_t metadataNumbers = 0;
    for (const auto &id : m_unmatchedSample)
        metadataNumbers += integerId(id) ? 1 : 0;
    std::size_t itemNumbers = 0;
    for (const auto &id : items)
        itemNumbers += integerId(id) ? 1 : 0;
    const bool metadataNumeric = !m_unmatchedSample.empty() && metadataNumbers == m_unmatchedSample.size();
    const bool itemsNumeric = !items.empty() && itemNumbers == items.size();
    if (metadataNumeric && itemsNumeric) {
        // Indices counted from another base: most shifted metadata ids then land on items.
        for (const int shift : {+1, -1}) {
            std::size_t hits = 0;
            for (const auto &id : m_unmatchedSample) {
                std::int64_t shifted = 0;
                if (!__builtin_add_overflow(*integerId(id), shift, &shifted))
                    hits += m_itemIndex.count(std::to_string(shifted));
            }
            if (hits * 2 > m_unmatchedSample.size())
                return "the metadata's indices shifted by " + std::string(shift > 0 ? "+1" : "-1") + " match " +
                       std::to_string(hits) + " of the first " + std::to_string(m_unmatchedSample.size()) +
                       ": the files count from different bases (LC-Rec/LETTER indices start at 0, P5's at 1); "
                       "use metadata written for these interactions";
        }
        return "both files use numeric ids, in different numberings (another dataset's, or another "
               "preprocessing's indices?)";
    }
    if (metadataNumeric)
        return "the metadata is keyed by index (like LC-Rec/LETTER's 0-based .item.json) while the interactions "
               "use raw ids; import the interactions in the same id space (e.g. the matching .inter.json)";
    if (itemsNumeric)
        return "the interactions use indices while the metadata is keyed by raw ids; import the interactions "
               "with their raw ids (e.g. P5 with --datamaps, or the raw sequence file)";
    return "the files use different ids (another dataset's metadata, or another id column?)";
}

void DatasetBuilder::checkMetadataMatches(const std::string &itemsFile)
{
    ImportReport &report = m_dataset.report;
    const std::uint64_t items = m_dataset.itemCount();
    const std::uint64_t matched = static_cast<std::uint64_t>(
        std::count_if(m_metadataLine.begin(), m_metadataLine.end(), [](std::uint64_t line) { return line != 0; }));
    if (report.metadataRecords == 0)
        throw InputError(itemsFile, 0, "", "the items file holds no metadata records");
    if (matched == 0)
        throw InputError(itemsFile, 0, "item id",
                         "none of its " + std::to_string(report.metadataRecords) +
                             " metadata records names an item of the interactions (metadata ids like " +
                             quotedList(m_unmatchedSample, 3) + "; interaction item ids like " +
                             quotedList(m_dataset.itemRawIds, 3) + "): " + idSpaceHint());
    if (static_cast<double>(matched) < kMinMetadataCoverage * static_cast<double>(items)) {
        report.warnings.push_back(
            "only " + std::to_string(matched) + " of the " + std::to_string(items) + " items (" +
            std::to_string(static_cast<int>(100.0 * static_cast<double>(matched) / static_cast<double>(items))) +
            " %) have a metadata record in " + itemsFile + "; " + std::to_string(report.metadataIgnored) +
            " records name no item of the interactions" +
            (m_unmatchedSample.empty() ? std::string() : " (" + idSpaceHint() + ")"));
    }
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
