#include "recommend/DecodeTraceRepository.h"

#include "store/Database.h"
#include "util/Clock.h"
#include "util/Error.h"

namespace idgen {

std::int64_t DecodeTraceRepository::save(const StoredTrace &trace)
{
    auto insert = m_db.prepare("INSERT INTO decode_traces (snapshot_id, user_idx, checkpoint, beams, created_at, prompt, "
                               "result, trace) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, trace.snapshot)
        .bind(2, trace.user)
        .bind(3, trace.checkpoint)
        .bind(4, trace.beams)
        .bind(5, nowIso8601())
        .bind(6, trace.prompt)
        .bind(7, trace.ranked.dump())
        .bind(8, trace.trace.dump());
    insert.run();
    return m_db.lastInsertId();
}

StoredTrace DecodeTraceRepository::load(std::int64_t id) const
{
    auto select = m_db.prepare("SELECT snapshot_id, user_idx, checkpoint, beams, created_at, prompt, result, trace "
                               "FROM decode_traces WHERE id = ?");
    select.bind(1, id);
    if (!select.step())
        throw Error("no decoding trace " + std::to_string(id) + " in " + m_db.path().string());
    return {id,
            select.integer(0),
            select.integer(1),
            select.text(2),
            static_cast<int>(select.integer(3)),
            select.text(4),
            select.text(5),
            nlohmann::json::parse(select.text(6)),
            nlohmann::json::parse(select.text(7))};
}

std::vector<StoredTrace> DecodeTraceRepository::list(std::int64_t snapshot, std::int64_t user) const
{
    auto select = m_db.prepare("SELECT id, user_idx, checkpoint, beams, created_at, prompt FROM decode_traces "
                               "WHERE snapshot_id = ? AND (? < 0 OR user_idx = ?) ORDER BY id DESC");
    select.bind(1, snapshot).bind(2, user).bind(3, user);
    std::vector<StoredTrace> traces;
    while (select.step()) {
        StoredTrace t;
        t.id = select.integer(0);
        t.snapshot = snapshot;
        t.user = select.integer(1);
        t.checkpoint = select.text(2);
        t.beams = static_cast<int>(select.integer(3));
        t.createdAt = select.text(4);
        t.prompt = select.text(5);
        traces.push_back(std::move(t));
    }
    return traces;
}

} // namespace idgen
