#include "jobs/JobJournal.h"

#include "store/Database.h"
#include "util/Clock.h"

namespace idgen {

JobJournal::JobJournal(const Database &db, std::string kind, std::string optionsJson)
    : m_db(db)
{
    auto insert = m_db.prepare("INSERT INTO jobs (kind, options, started_at, status) VALUES (?, ?, ?, 'running')");
    insert.bind(1, std::string_view(kind)).bind(2, std::string_view(optionsJson)).bind(3, std::string_view(nowIso8601()));
    insert.run();
    m_id = m_db.lastInsertId();
}

void JobJournal::finish(const std::string &status, const std::string &message)
{
    auto update = m_db.prepare("UPDATE jobs SET status = ?, message = ?, finished_at = ? WHERE id = ?");
    update.bind(1, std::string_view(status)).bind(2, std::string_view(message)).bind(3, std::string_view(nowIso8601())).bind(4, m_id);
    update.run();
}

} // namespace idgen
