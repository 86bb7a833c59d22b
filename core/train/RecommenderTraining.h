#pragma once

#include "jobs/JobEvents.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace idgen {

class Database;
class ProcessGroupContext;

// How a front end steers a run while it trains: stop (checkpoint, then end with status
// "stopped"; resumable later) and pause (wait at the next step boundary until released; the run
// shows "paused" meanwhile). `idgenrec stop` from another process reaches the run through the
// project file instead.
struct TrainingControl {
    StopToken stop;
    const std::atomic<bool> *pause = nullptr;
    std::function<void(std::int64_t run)> onRunCreated; // told before any training starts
    // Data-parallel training (train/distributed/): this process is one rank of the group; rank 0
    // creates the run and alone writes the project file and checkpoints.
    ProcessGroupContext *group = nullptr;
};

// Data-parallel runs: rank 0 creates or claims the run and announces its id; every other rank (a
// follower) waits for the id and trains the same run without writing to the project.
bool isFollowerRank(const TrainingControl &control);
void announceRun(const TrainingControl &control, std::int64_t run); // nothing without a group
std::int64_t announcedRun(const TrainingControl &control);

struct TrainRequest {
    std::string dataset;
    std::string config = "demo";          // a built-in config name or a TOML file
    std::optional<std::int64_t> snapshot; // else the config's [ids] scheme is assigned first
    std::string device;                   // empty: the config's
};

// `idgenrec train`: a recommender T5 trained on one ID snapshot of a dataset, as a run in the
// project file (kind "recommender"): per-step loss, per-epoch validation HR/NDCG through the
// full-ranking evaluator, the best-on-validation checkpoint kept, test reported for it at the end.
// Checkpoints: <project>.models/run-<id>/last.ckpt (model, optimizer, schedule, RNG, data
// cursor; every N steps / M minutes, at every epoch end and on stop) and best.ckpt. Returns the
// run's id; the run's status says how it ended (done, stopped; failed runs rethrow).
std::int64_t trainRecommender(const Database &db, const TrainRequest &request, JobEvents &events,
                              const TrainingControl &control = {});

// Continues a stopped, paused or interrupted run from its last checkpoint, bit for bit (a run
// killed before its first checkpoint starts over). Throws for a run that is done or running.
void resumeRecommender(const Database &db, std::int64_t run, JobEvents &events, const TrainingControl &control = {});

} // namespace idgen
