#include "store/RunLiveness.h"

#include "store/Database.h"
#include "util/Clock.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <vector>

namespace idgen {
namespace {

constexpr std::int64_t kRemoteSilenceSeconds = 30 * 60;

bool processExists(std::int64_t pid)
{
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::int64_t secondsSince(const std::string &iso)
{
    std::tm tm{};
    std::istringstream in(iso);
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    if (in.fail())
        return 0;
    return static_cast<std::int64_t>(std::time(nullptr) - timegm(&tm));
}

} // namespace

std::int64_t currentPid()
{
    return static_cast<std::int64_t>(::getpid());
}

std::string currentHost()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return "unknown";
    return name;
}

int markInterruptedRuns(const Database &db)
{
    struct Candidate {
        std::int64_t id, pid;
        std::string host, heartbeat;
    };
    std::vector<Candidate> candidates;
    {
        auto select = db.prepare("SELECT id, pid, host, heartbeat_at FROM runs WHERE status IN ('running', 'paused')");
        while (select.step())
            candidates.push_back({select.integer(0), select.integer(1), select.text(2), select.text(3)});
    }
    const std::string host = currentHost();
    int marked = 0;
    for (const auto &c : candidates) {
        const bool dead = c.host == host ? !processExists(c.pid) : secondsSince(c.heartbeat) > kRemoteSilenceSeconds;
        if (!dead)
            continue;
        auto update = db.prepare("UPDATE runs SET status = 'interrupted', finished_at = ?, message = ? "
                                 "WHERE id = ? AND status IN ('running', 'paused')");
        update.bind(1, nowIso8601())
            .bind(2, "its process (" + c.host + ":" + std::to_string(c.pid) + ") ended without finishing; last seen " +
                         c.heartbeat + "; resume it from its last checkpoint")
            .bind(3, c.id);
        update.run();
        ++marked;
    }
    return marked;
}

int markInterruptedJobs(const Database &db)
{
    struct Candidate {
        std::int64_t id, pid;
        bool hasPid;
        std::string host, seen;
    };
    std::vector<Candidate> candidates;
    {
        auto select = db.prepare("SELECT id, pid, host, COALESCE(heartbeat_at, started_at), pid IS NOT NULL "
                                 "FROM jobs WHERE status = 'running'");
        while (select.step())
            candidates.push_back(
                {select.integer(0), select.integer(1), select.integer(4) != 0, select.text(2), select.text(3)});
    }
    const std::string host = currentHost();
    int marked = 0;
    for (const auto &c : candidates) {
        const bool local = c.hasPid && c.host == host;
        const bool dead = local ? !processExists(c.pid) : secondsSince(c.seen) > kRemoteSilenceSeconds;
        if (!dead)
            continue;
        const std::string who = c.hasPid ? "its process (" + c.host + ":" + std::to_string(c.pid) + ")"
                                         : "its process (not recorded)";
        auto update = db.prepare("UPDATE jobs SET status = 'interrupted', finished_at = ?, message = ? "
                                 "WHERE id = ? AND status = 'running'");
        update.bind(1, nowIso8601())
            .bind(2, who + " ended without finishing; last seen alive " + c.seen + "; whatever it had not committed was rolled back")
            .bind(3, c.id);
        update.run();
        ++marked;
    }
    return marked;
}

} // namespace idgen
