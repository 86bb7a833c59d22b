#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idgen {
class Database;
}

namespace idgen::ui {

struct SequenceEntry {
    std::string rawId;
    std::string title;
    std::optional<std::int64_t> timestamp;
};

// One user's items in time order with their titles, in one query. DatasetRepository::userSequence
// gives raw ids only; looking up titles one by one would cost a query per item.
// TODO(core): move into DatasetRepository (e.g. userSequenceItems) so no SQL lives in ui/.
std::vector<SequenceEntry> userSequenceWithTitles(const Database &db, std::int64_t datasetId, std::int64_t userIndex,
                                                  std::int64_t limit);

} // namespace idgen::ui
