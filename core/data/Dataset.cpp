#include "data/Dataset.h"

#include "util/Error.h"
#include "util/Hash.h"

namespace idgen {

bool hasText(const ItemFields &fields)
{
    if (!fields.is_object())
        return false;
    for (const auto &[name, value] : fields.items()) {
        if ((value.is_string() && !value.get_ref<const std::string &>().empty()) || (value.is_array() && !value.empty()))
            return true;
    }
    return false;
}

std::size_t Dataset::itemsWithText() const
{
    std::size_t count = 0;
    for (const auto &fields : itemFields)
        count += hasText(fields) ? 1 : 0;
    return count;
}

void Dataset::validate() const
{
    if (sequenceOffsets.size() != userCount() + 1 || sequenceOffsets.front() != 0 ||
        sequenceOffsets.back() != sequenceItems.size())
        throw Error("internal: dataset sequence offsets do not match its users and interactions");
    for (std::size_t u = 0; u < userCount(); ++u) {
        if (sequenceOffsets[u] > sequenceOffsets[u + 1])
            throw Error("internal: dataset sequence offsets are not increasing");
    }
    for (const auto item : sequenceItems) {
        if (item >= itemCount())
            throw Error("internal: dataset refers to item " + std::to_string(item) + " of " + std::to_string(itemCount()));
    }
    if (itemFields.size() != itemCount())
        throw Error("internal: dataset has " + std::to_string(itemFields.size()) + " field records for " +
                    std::to_string(itemCount()) + " items");
    if (!sequenceTimestamps.empty() && sequenceTimestamps.size() != sequenceItems.size())
        throw Error("internal: dataset timestamps do not match its interactions");
}

std::string Dataset::contentHash() const
{
    ContentHasher hasher;
    hasher.addInteger(static_cast<std::int64_t>(userCount()));
    for (std::size_t user = 0; user < userCount(); ++user) {
        hasher.addField(userRawIds[user]);
        for (auto offset = sequenceOffsets[user]; offset < sequenceOffsets[user + 1]; ++offset) {
            hasher.addField(itemRawIds[sequenceItems[offset]]);
            if (hasTimestamps())
                hasher.addInteger(sequenceTimestamps[offset]);
        }
    }
    hasher.addInteger(static_cast<std::int64_t>(itemCount()));
    for (std::size_t item = 0; item < itemCount(); ++item) {
        hasher.addField(itemRawIds[item]);
        hasher.addField(itemFields[item].is_null() ? std::string() : itemFields[item].dump());
    }
    return hasher.hex();
}

} // namespace idgen
