#include "train/RecommenderTraining.h"

#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "model/ModelFile.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "train/RecommenderConfig.h"
#include "train/RecommenderPhase.h"
#include "train/RunSession.h"
#include "util/Error.h"

namespace idgen {
namespace {

constexpr const char *kKind = "recommender";

std::int64_t assignSnapshot(const Database &db, const std::string &dataset, const RecommenderConfig &config,
                            JobEvents &events, StopToken stop)
{
    IdAssignmentOptions options;
    options.dataset = dataset;
    options.scheme = config.scheme;
    options.titleWords = config.titleWords;
    events.log("no --snapshot given: assigning " + config.scheme + " IDs first (config " + config.name + ")");
    return assignIds(db, options, events, stop).snapshot.id;
}

// A plain recommender run is one phase on its snapshot; how it ended goes into the run's row.
void runGuarded(const Database &db, const RunRecord &run, const RecommenderConfig &config, JobEvents &events,
                const TrainingControl &control)
{
    RunRepository runs(db);
    try {
        RunSession session(db, run.id, events, control.stop);
        RecommenderPhasePlan plan;
        plan.snapshot = *run.snapshot;
        plan.folder = runs.runFolder(run.id);
        RecommenderPhase phase(db, run, config, session, control, plan);
        if (phase.run() == RecommenderPhase::Outcome::Stopped) {
            runs.setStatus(run.id, "stopped", phase.stopMessage());
            events.log(phase.stopMessage());
            return;
        }
        runs.setSummary(run.id, phase.summary());
        runs.setStatus(run.id, "done");
    } catch (const Cancelled &) {
        runs.setStatus(run.id, "stopped", "stopped before its first checkpoint");
    } catch (const std::exception &error) {
        runs.setStatus(run.id, "failed", error.what());
        throw;
    }
}

} // namespace

std::int64_t trainRecommender(const Database &db, const TrainRequest &request, JobEvents &events,
                              const TrainingControl &control)
{
    RecommenderConfig config = RecommenderConfig::load(request.config);
    if (!request.device.empty())
        config.device = request.device;
    (void)parseDevice(config.device);
    (void)DatasetRepository(db).get(request.dataset);
    std::int64_t snapshot = 0;
    if (request.snapshot) {
        const IdSnapshotInfo info = IdSnapshotRepository(db).get(*request.snapshot);
        if (info.dataset != request.dataset)
            throw Error("snapshot " + std::to_string(*request.snapshot) + " belongs to dataset '" + info.dataset +
                        "', not '" + request.dataset + "'");
        snapshot = *request.snapshot;
    } else {
        snapshot = assignSnapshot(db, request.dataset, config, events, control.stop);
    }
    RunRepository runs(db);
    const std::int64_t id = runs.create({request.dataset, kKind, config.name, snapshot, config.text, config.seed, config.device});
    if (control.onRunCreated)
        control.onRunCreated(id);
    runGuarded(db, runs.load(id), config, events, control);
    return id;
}

void resumeRecommender(const Database &db, std::int64_t id, JobEvents &events, const TrainingControl &control)
{
    RunRepository runs(db);
    const RunRecord run = runs.load(id);
    if (run.kind != kKind)
        throw Error("run " + std::to_string(id) + " is a " + run.kind + " run; idgenrec resume continues recommender runs");
    if (!run.resumable())
        throw Error("run " + std::to_string(id) + " is " + run.status + ": only stopped or interrupted runs resume");
    if (!run.snapshot)
        throw Error("run " + std::to_string(id) + "'s ID snapshot was removed; it cannot resume");
    const RecommenderConfig config = RecommenderConfig::parse(run.config, run.name, "run " + std::to_string(id) + "'s config");
    runs.claim(id);
    if (control.onRunCreated)
        control.onRunCreated(id);
    runGuarded(db, runs.load(id), config, events, control);
}

} // namespace idgen
