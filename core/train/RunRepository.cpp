#include "train/RunRepository.h"

#include "store/Database.h"
#include "store/RunLiveness.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <sqlite3.h>
#include <torch/version.h>

namespace idgen {
namespace {

constexpr const char *kColumns =
    "r.id, d.name, r.kind, r.name, r.dataset_hash, r.snapshot_id, r.config, r.seed, r.device, r.versions, "
    "r.started_at, r.finished_at, r.heartbeat_at, r.pid, r.host, r.status, r.message, r.stop_requested, "
    "r.checkpoint_last, r.checkpoint_best, r.summary FROM runs r JOIN datasets d ON d.id = r.dataset_id";

RunRecord readRun(const Statement &row)
{
    RunRecord r;
    r.id = row.integer(0);
    r.dataset = row.text(1);
    r.kind = row.text(2);
    r.name = row.text(3);
    r.datasetHash = row.text(4);
    if (!row.isNull(5))
        r.snapshot = row.integer(5);
    r.config = row.text(6);
    r.seed = static_cast<std::uint64_t>(row.integer(7));
    r.device = row.text(8);
    r.versions = nlohmann::json::parse(row.text(9));
    r.startedAt = row.text(10);
    r.finishedAt = row.isNull(11) ? std::string() : row.text(11);
    r.heartbeatAt = row.text(12);
    r.pid = row.integer(13);
    r.host = row.text(14);
    r.status = row.text(15);
    r.message = row.isNull(16) ? std::string() : row.text(16);
    r.stopRequested = row.integer(17) != 0;
    r.checkpointLast = row.isNull(18) ? std::string() : row.text(18);
    r.checkpointBest = row.isNull(19) ? std::string() : row.text(19);
    r.summary = nlohmann::json::parse(row.text(20));
    return r;
}

nlohmann::json libraryVersions()
{
    return {{"workbench", IDGEN_VERSION}, {"libtorch", TORCH_VERSION}, {"sqlite", sqlite3_libversion()}};
}

bool isTerminal(const std::string &status)
{
    return status == "stopped" || status == "done" || status == "failed" || status == "interrupted";
}

} // namespace

nlohmann::json RunRecord::toJson() const
{
    nlohmann::json out = {{"id", id},
                          {"dataset", dataset},
                          {"kind", kind},
                          {"name", name},
                          {"dataset_hash", datasetHash},
                          {"snapshot", snapshot ? nlohmann::json(*snapshot) : nlohmann::json()},
                          {"seed", seed},
                          {"device", device},
                          {"versions", versions},
                          {"started_at", startedAt},
                          {"finished_at", finishedAt},
                          {"status", status},
                          {"message", message},
                          {"checkpoint_last", checkpointLast},
                          {"checkpoint_best", checkpointBest},
                          {"summary", summary}};
    return out;
}

std::int64_t RunRepository::create(const NewRun &run)
{
    auto dataset = m_db.prepare("SELECT id, content_hash FROM datasets WHERE name = ?");
    dataset.bind(1, run.dataset);
    if (!dataset.step())
        throw Error("no dataset named '" + run.dataset + "' in " + m_db.path().string());
    const std::string now = nowIso8601();
    auto insert = m_db.prepare(
        "INSERT INTO runs (dataset_id, kind, name, dataset_hash, snapshot_id, config, seed, device, versions, "
        "started_at, heartbeat_at, pid, host, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')");
    insert.bind(1, dataset.integer(0))
        .bind(2, run.kind)
        .bind(3, run.name)
        .bind(4, dataset.text(1))
        .bind(5, run.snapshot)
        .bind(6, run.config)
        .bind(7, static_cast<std::int64_t>(run.seed))
        .bind(8, run.device)
        .bind(9, libraryVersions().dump())
        .bind(10, now)
        .bind(11, now)
        .bind(12, currentPid())
        .bind(13, currentHost());
    insert.run();
    return m_db.lastInsertId();
}

RunRecord RunRepository::load(std::int64_t id) const
{
    auto select = m_db.prepare(std::string("SELECT ") + kColumns + " WHERE r.id = ?");
    select.bind(1, id);
    if (!select.step())
        throw Error("no run " + std::to_string(id) + " in " + m_db.path().string() + " (idgenrec runs lists them)");
    return readRun(select);
}

std::vector<RunRecord> RunRepository::list(const std::string &dataset) const
{
    auto select = m_db.prepare(std::string("SELECT ") + kColumns + " WHERE ? = '' OR d.name = ? ORDER BY r.id");
    select.bind(1, dataset).bind(2, dataset);
    std::vector<RunRecord> runs;
    while (select.step())
        runs.push_back(readRun(select));
    return runs;
}

void RunRepository::setStatus(std::int64_t id, const std::string &status, const std::string &message)
{
    auto update = m_db.prepare("UPDATE runs SET status = ?, message = ?, heartbeat_at = ?, "
                               "finished_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?");
    const std::string now = nowIso8601();
    update.bind(1, status)
        .bind(2, message)
        .bind(3, now)
        .bind(4, isTerminal(status) ? 1 : 0)
        .bind(5, now)
        .bind(6, id);
    update.run();
}

void RunRepository::claim(std::int64_t id)
{
    auto update = m_db.prepare("UPDATE runs SET status = 'running', message = NULL, finished_at = NULL, "
                               "stop_requested = 0, pid = ?, host = ?, heartbeat_at = ? WHERE id = ?");
    update.bind(1, currentPid()).bind(2, currentHost()).bind(3, nowIso8601()).bind(4, id);
    update.run();
}

RunRecord RunRepository::claimForResume(std::int64_t id, const std::string &kind)
{
    const RunRecord run = load(id);
    const std::string name = "run " + std::to_string(id);
    if (run.kind != kind)
        throw Error(name + " is a " + run.kind + " run, not a " + kind + " one");
    if (!run.resumable())
        throw Error(name + " is " + run.status + ": only stopped or interrupted runs resume");
    if (!run.snapshot)
        throw Error(name + "'s ID snapshot was removed; it cannot resume");
    claim(id);
    return load(id);
}

void RunRepository::heartbeat(std::int64_t id)
{
    auto update = m_db.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ?");
    update.bind(1, nowIso8601()).bind(2, id);
    update.run();
}

bool RunRepository::stopRequested(std::int64_t id) const
{
    auto select = m_db.prepare("SELECT stop_requested FROM runs WHERE id = ?");
    select.bind(1, id);
    return select.step() && select.integer(0) != 0;
}

void RunRepository::requestStop(std::int64_t id)
{
    const RunRecord run = load(id);
    if (run.status != "running" && run.status != "paused")
        throw Error("run " + std::to_string(id) + " is " + run.status + ", not running: nothing to stop");
    auto update = m_db.prepare("UPDATE runs SET stop_requested = 1 WHERE id = ?");
    update.bind(1, id);
    update.run();
}

void RunRepository::setSnapshot(std::int64_t id, std::int64_t snapshot)
{
    auto update = m_db.prepare("UPDATE runs SET snapshot_id = ? WHERE id = ?");
    update.bind(1, snapshot).bind(2, id);
    update.run();
}

void RunRepository::setCheckpoints(std::int64_t id, const std::filesystem::path &last, const std::filesystem::path &best)
{
    auto update = m_db.prepare("UPDATE runs SET checkpoint_last = ?, checkpoint_best = ?, heartbeat_at = ? WHERE id = ?");
    update.bind(1, last.empty() ? std::string() : relativeToProject(last))
        .bind(2, best.empty() ? std::string() : relativeToProject(best))
        .bind(3, nowIso8601())
        .bind(4, id);
    update.run();
}

void RunRepository::setSummary(std::int64_t id, const nlohmann::json &summary)
{
    auto update = m_db.prepare("UPDATE runs SET summary = ? WHERE id = ?");
    update.bind(1, summary.dump()).bind(2, id);
    update.run();
}

void RunRepository::addMetrics(std::span<const MetricPoint> points)
{
    if (points.empty())
        return;
    Transaction transaction(m_db);
    auto insert = m_db.prepare("INSERT INTO run_metrics (run_id, round, epoch, step, split, name, value, recorded_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    const std::string now = nowIso8601();
    for (const auto &p : points) {
        insert.bind(1, p.run)
            .bind(2, p.round)
            .bind(3, p.epoch)
            .bind(4, p.step)
            .bind(5, p.split)
            .bind(6, p.name)
            .bind(7, p.value)
            .bind(8, now);
        insert.run();
    }
    transaction.commit();
}

std::vector<MetricPoint> RunRepository::metrics(std::int64_t run, const std::string &name) const
{
    auto select = m_db.prepare("SELECT round, epoch, step, split, name, value FROM run_metrics "
                               "WHERE run_id = ? AND (? = '' OR name = ?) ORDER BY rowid");
    select.bind(1, run).bind(2, name).bind(3, name);
    std::vector<MetricPoint> points;
    while (select.step())
        points.push_back({run, static_cast<int>(select.integer(0)), static_cast<int>(select.integer(1)),
                          select.integer(2), select.text(3), select.text(4), select.real(5)});
    return points;
}

void RunRepository::linkSnapshot(std::int64_t run, int round, std::int64_t snapshot)
{
    auto insert = m_db.prepare("INSERT OR REPLACE INTO run_snapshots (run_id, round, snapshot_id) VALUES (?, ?, ?)");
    insert.bind(1, run).bind(2, round).bind(3, snapshot);
    insert.run();
}

std::vector<std::pair<int, std::int64_t>> RunRepository::snapshots(std::int64_t run) const
{
    auto select = m_db.prepare("SELECT round, snapshot_id FROM run_snapshots WHERE run_id = ? ORDER BY round");
    select.bind(1, run);
    std::vector<std::pair<int, std::int64_t>> out;
    while (select.step())
        out.emplace_back(static_cast<int>(select.integer(0)), select.integer(1));
    return out;
}

std::filesystem::path RunRepository::runFolder(std::int64_t id) const
{
    std::filesystem::path folder = m_db.path();
    folder += ".models";
    folder /= "run-" + std::to_string(id);
    std::filesystem::create_directories(folder);
    return folder;
}

std::filesystem::path RunRepository::resolve(const std::string &relative) const
{
    if (relative.empty())
        return {};
    const std::filesystem::path path(relative);
    if (path.is_absolute())
        return path;
    return std::filesystem::absolute(m_db.path()).parent_path() / path;
}

std::string RunRepository::relativeToProject(const std::filesystem::path &path) const
{
    const auto base = std::filesystem::absolute(m_db.path()).parent_path();
    return std::filesystem::relative(std::filesystem::absolute(path), base).generic_string();
}

} // namespace idgen
