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
    std::int64_t id() const { return m_id; }

private:
    const Database &m_db;
    std::int64_t m_id = 0;
};

// Runs work() under a journal entry, recording how it ended; rethrows errors.
template <typename Work>
auto journalled(const Database &db, std::string kind, std::string optionsJson, Work &&work)
{
    JobJournal journal(db, std::move(kind), std::move(optionsJson));
    try {
        auto result = work();
        journal.finish("done");
        return result;
    } catch (const std::exception &error) {
        journal.finish(dynamic_cast<const Cancelled *>(&error) ? "cancelled" : "failed", error.what());
        throw;
    }
}

} // namespace idgen
