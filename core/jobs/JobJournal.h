#pragma once

#include "util/Error.h"

#include <cstdint>
#include <string>

namespace idgen {

class Database;

// Records a job in the project's jobs table: 'running' when constructed, then done, failed or
// cancelled. A journal entry still 'running' after the process died marks an interrupted job.
class JobJournal {
public:
    JobJournal(const Database &db, std::string kind, std::string optionsJson);
    void finish(const std::string &status, const std::string &message = {});
    // Marks the job alive now; only needed by jobs that may run on another host for over 30 minutes.
    void heartbeat();
    std::int64_t id() const { return m_id; }

private:
    const Database &m_db;
    std::int64_t m_id = 0;
};

// A failed write's message with the project file named (disk full, read-only, I/O error), since
// SQLite's own text names neither; other messages come back unchanged.
std::string describeWriteFailure(const Database &db, const std::string &message);

// Runs work() under a journal entry, recording how it ended; rethrows errors (a failed write as an
// Error naming the project file).
template <typename Work>
auto journalled(const Database &db, std::string kind, std::string optionsJson, Work &&work)
{
    JobJournal journal(db, std::move(kind), std::move(optionsJson));
    try {
        auto result = work();
        journal.finish("done");
        return result;
    } catch (const std::exception &error) {
        try {
            journal.finish(dynamic_cast<const Cancelled *>(&error) ? "cancelled" : "failed", error.what());
        } catch (const std::exception &) {
            // The disk may be full: the job then stays 'running' until the next open marks it
            // interrupted, and the original error is the one worth reporting.
        }
        if (dynamic_cast<const Cancelled *>(&error) || dynamic_cast<const InputError *>(&error))
            throw;
        const std::string described = describeWriteFailure(db, error.what());
        if (described != error.what())
            throw Error(described);
        throw;
    }
}

} // namespace idgen
