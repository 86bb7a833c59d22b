#pragma once

#include <cstdint>
#include <string>

namespace idgen {

class Database;

// Runs left running or paused by a process that no longer exists (same host: its pid is gone;
// another host: no heartbeat for 30 minutes) become interrupted; returns how many. Database calls
// it on open, so a killed run shows as interrupted the next time the project is opened.
int markInterruptedRuns(const Database &db);
// The same for the jobs journal (schema version 8 on): a job still 'running' whose process is gone
// becomes interrupted, its message saying when it was last seen alive. Jobs recorded before
// version 8 have no pid; they count as dead after the same 30 minutes without a heartbeat.
int markInterruptedJobs(const Database &db);

// This process as the runs table records it.
std::int64_t currentPid();
std::string currentHost();

} // namespace idgen
