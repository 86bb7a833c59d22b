#include "jobs/JobJournal.h"

#include "store/Database.h"
#include "store/RunLiveness.h"
#include "util/Clock.h"

#include <sqlite3.h>

namespace idgen {

JobJournal::JobJournal(const Database &db, std::string kind, std::string optionsJson)
    : m_db(db)
{
    // Refused up front with the file named: SQLite's own "attempt to write a readonly database"
    // says neither which file nor why.
    if (sqlite3_db_readonly(m_db.handle(), "main") == 1)
        throw Error("cannot run the " + kind + " job: the project file " + m_db.path().string() +
                    " is read-only (or its folder is); nothing was changed");
    const std::string now = nowIso8601();
    auto insert = m_db.prepare("INSERT INTO jobs (kind, options, started_at, status, pid, host, heartbeat_at) "
                               "VALUES (?, ?, ?, 'running', ?, ?, ?)");
    insert.bind(1, std::string_view(kind))
        .bind(2, std::string_view(optionsJson))
        .bind(3, std::string_view(now))
        .bind(4, currentPid())
        .bind(5, std::string_view(currentHost()))
        .bind(6, std::string_view(now));
    insert.run();
    m_id = m_db.lastInsertId();
}

void JobJournal::heartbeat()
{
    auto update = m_db.prepare("UPDATE jobs SET heartbeat_at = ? WHERE id = ?");
    update.bind(1, std::string_view(nowIso8601())).bind(2, m_id);
    update.run();
}

void JobJournal::finish(const std::string &status, const std::string &message)
{
    auto update = m_db.prepare("UPDATE jobs SET status = ?, message = ?, finished_at = ? WHERE id = ?");
    update.bind(1, std::string_view(status)).bind(2, std::string_view(message)).bind(3, std::string_view(nowIso8601())).bind(4, m_id);
    update.run();
}

std::string describeWriteFailure(const Database &db, const std::string &message)
{
    const std::string file = db.path().string();
    if (message.find(file) != std::string::npos)
        return message;
    for (const char *marker : {"database or disk is full", "readonly database", "disk I/O error", "unable to open"}) {
        if (message.find(marker) != std::string::npos)
            return "cannot write the project file " + file + ": " + message + " (the project is unchanged)";
    }
    return message;
}

} // namespace idgen
