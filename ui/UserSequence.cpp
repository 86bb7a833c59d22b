#include "UserSequence.h"

#include "store/Database.h"

namespace idgen::ui {

std::vector<SequenceEntry> userSequenceWithTitles(const Database &db, std::int64_t datasetId, std::int64_t userIndex,
                                                  std::int64_t limit)
{
    auto statement = db.prepare(
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

} // namespace idgen::ui
