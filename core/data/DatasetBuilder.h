#pragma once

#include "data/Dataset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace idgen {

class TextReader;

// Collects what importers read, in three phases:
//   1. addInteraction() for every row, in file order;
//   2. finishInteractions(): orders each user's items by time (stable for ties, file order when
//      there are no timestamps), applies the k-core filter and assigns dense indices in order of
//      first appearance;
//   3. setItemFields() for every metadata record; records of unknown items are counted, not kept.
// Memory grows with the dataset, never with the size of the files read.
class DatasetBuilder {
public:
    DatasetBuilder();

    // The reader whose current line addInteraction() blames for a bad id (an id longer than
    // kMaxIdBytes); set it before reading, nullptr when done.
    void setSource(const TextReader *reader) { m_source = reader; }
    void addInteraction(std::string_view userRawId, std::string_view itemRawId,
                        std::optional<std::int64_t> timestamp = std::nullopt);
    bool hasUser(std::string_view userRawId) const;
    std::uint64_t interactionRows() const { return m_rows.size(); }

    void finishInteractions(int kcore);

    // What a second metadata record for the same item means: bad input (the default), or a
    // known quirk of the source (Amazon 2018 metadata repeats some products) where the first wins.
    enum class Duplicates { Error, KeepFirst };

    // Attaches metadata to an item; returns false (and counts it) when the item has no
    // interactions. A second record for the same item is an InputError at (file, line), or is
    // counted and skipped with Duplicates::KeepFirst.
    bool setItemFields(std::string_view itemRawId, ItemFields fields, const std::string &file, std::uint64_t line,
                       Duplicates duplicates = Duplicates::Error);
    bool hasItem(std::string_view itemRawId) const;

    // After the metadata: an items file of which no record names an item of the interactions is
    // an InputError naming it, with a hint at the id spaces (0- vs 1-based indices, indices vs raw
    // ids, another dataset); one that covers under kMinMetadataCoverage of the items is a warning.
    void checkMetadataMatches(const std::string &itemsFile);
    static constexpr double kMinMetadataCoverage = 0.5;

    ImportReport &report() { return m_dataset.report; }
    // Finishes the report and hands the dataset over; the builder is empty afterwards.
    Dataset take();

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    using IndexMap = std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>>;
    struct Row {
        std::uint32_t user;
        std::uint32_t item;
        std::int64_t timestamp;
    };

    static std::uint32_t indexOf(IndexMap &map, std::vector<std::string> &rawIds, std::string_view rawId);
    void groupByUserInTimeOrder();
    void applyKCore(int k);
    void buildDataset();
    std::string idSpaceHint() const;

    IndexMap m_userIndex;
    IndexMap m_itemIndex;
    std::vector<std::string> m_userRawIds;
    std::vector<std::string> m_itemRawIds;
    std::vector<Row> m_rows;
    std::vector<std::uint64_t> m_metadataLine; // per final item, 0 = no record yet
    std::vector<std::string> m_unmatchedSample; // the first ids of metadata records that matched no item
    const TextReader *m_source = nullptr;
    std::optional<bool> m_hasTimestamps;
    bool m_finished = false;
    Dataset m_dataset;
};

} // namespace idgen
