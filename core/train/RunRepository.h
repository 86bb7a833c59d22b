#pragma once

#include "jobs/JobEvents.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace idgen {

class Database;

// A training run as the project file keeps it (tables runs, run_snapshots, run_metrics).
// Status: running, paused, stopped (a checkpoint to resume from), done, failed, interrupted (its
// process died; resumable from the last checkpoint).
struct RunRecord {
    std::int64_t id = 0;
    std::string dataset;
    std::string kind; // recommender, baseline, alternate
    std::string name; // the config's name or the baseline model
    std::string datasetHash;
    std::optional<std::int64_t> snapshot;
    std::string config; // the full config text the run was started with
    std::uint64_t seed = 0;
    std::string device;
    nlohmann::json versions;
    std::string startedAt;
    std::string finishedAt;
    std::string heartbeatAt;
    std::int64_t pid = 0;
    std::string host;
    std::string status;
    std::string message;
    bool stopRequested = false;
    std::string checkpointLast; // relative to the project file's folder
    std::string checkpointBest;
    nlohmann::json summary = nlohmann::json::object();

    // A paused run belongs to a live process (a dead one is marked interrupted on open).
    bool resumable() const { return status == "stopped" || status == "interrupted"; }
    nlohmann::json toJson() const;
};

struct NewRun {
    std::string dataset;
    std::string kind;
    std::string name;
    std::optional<std::int64_t> snapshot;
    std::string config;
    std::uint64_t seed = 0;
    std::string device = "cpu";
};

class RunRepository {
public:
    explicit RunRepository(const Database &db) : m_db(db) {}

    // A new run, status running, owned by this process.
    std::int64_t create(const NewRun &run);
    RunRecord load(std::int64_t id) const; // throws an Error naming the run when it does not exist
    std::vector<RunRecord> list(const std::string &dataset = {}) const;

    // running/paused/stopped/done/failed/interrupted; the last four set finished_at.
    void setStatus(std::int64_t id, const std::string &status, const std::string &message = {});
    // A resumed run: running again, owned by this process, no stop pending.
    void claim(std::int64_t id);
    // Checks that run `id` is of `kind`, resumable and still has its snapshot, then claims it.
    RunRecord claimForResume(std::int64_t id, const std::string &kind);
    void heartbeat(std::int64_t id);
    bool stopRequested(std::int64_t id) const;
    // Asks the process training the run to stop at its next step boundary; throws unless running
    // or paused.
    void requestStop(std::int64_t id);
    void setSnapshot(std::int64_t id, std::int64_t snapshot);
    void setCheckpoints(std::int64_t id, const std::filesystem::path &last, const std::filesystem::path &best);
    void setSummary(std::int64_t id, const nlohmann::json &summary);

    void addMetrics(std::span<const MetricPoint> points); // one transaction
    std::vector<MetricPoint> metrics(std::int64_t run, const std::string &name = {}) const;
    void linkSnapshot(std::int64_t run, int round, std::int64_t snapshot);
    std::vector<std::pair<int, std::int64_t>> snapshots(std::int64_t run) const; // (round, snapshot)

    // The folder of a run's checkpoints, "<project>.models/run-<id>/" (created), and paths stored
    // relative to the project's folder resolved back.
    std::filesystem::path runFolder(std::int64_t id) const;
    std::filesystem::path resolve(const std::string &relative) const;
    std::string relativeToProject(const std::filesystem::path &path) const;

private:
    const Database &m_db;
};

} // namespace idgen
