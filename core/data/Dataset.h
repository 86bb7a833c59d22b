#pragma once

#include "data/ImportReport.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace idgen {

// Item metadata as given by the source: an ordered object of fields (title, brand, categories,
// description, price, ...); values are strings, numbers or arrays of strings. Null: no text.
using ItemFields = nlohmann::ordered_json;

// A dataset in memory: dense user and item indices, each user's items in time order (CSR).
struct Dataset {
    std::vector<std::string> userRawIds;
    std::vector<std::string> itemRawIds;
    std::vector<ItemFields> itemFields;          // one per item
    std::vector<std::uint64_t> sequenceOffsets;  // users + 1 entries
    std::vector<std::uint32_t> sequenceItems;    // item indices
    std::vector<std::int64_t> sequenceTimestamps; // parallel to sequenceItems, or empty
    ImportReport report;

    std::size_t userCount() const { return userRawIds.size(); }
    std::size_t itemCount() const { return itemRawIds.size(); }
    std::size_t interactionCount() const { return sequenceItems.size(); }
    bool hasTimestamps() const { return !sequenceTimestamps.empty(); }
    std::span<const std::uint32_t> sequence(std::size_t user) const
    {
        return {sequenceItems.data() + sequenceOffsets[user], sequenceOffsets[user + 1] - sequenceOffsets[user]};
    }
    std::size_t itemsWithText() const;
    // Throws an Error when the arrays disagree (offsets, indices out of range, sizes).
    void validate() const;
    // Hash of users, sequences, timestamps, items and their fields, in canonical order.
    std::string contentHash() const;
};

// True when the fields hold any non-empty text value.
bool hasText(const ItemFields &fields);

} // namespace idgen
