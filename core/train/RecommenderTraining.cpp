#include "train/RecommenderTraining.h"

#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "model/ModelFile.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "train/RecommenderConfig.h"
#include "train/RecommenderPhase.h"
#include "train/RunSession.h"
#include "train/distributed/ProcessGroupContext.h"
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

// The run's phase as a rank other than 0 of a data-parallel group: the same training, nothing
// written (rank 0 records the run's status, metrics and checkpoints).
void runAsFollower(const Database &db, const RunRecord &run, const RecommenderConfig &config, JobEvents &events,
                   const TrainingControl &control)
{
    RunSession session(db, run.id, events, control.stop, false);
    RecommenderPhasePlan plan;
    plan.snapshot = *run.snapshot;
    plan.folder = RunRepository(db).runFolder(run.id);
    RecommenderPhase phase(db, run, config, session, control, plan);
    phase.run();
}

// A plain recommender run is one phase on its snapshot.
void runGuarded(const Database &db, const RunRecord &run, const RecommenderConfig &config, JobEvents &events,
                const TrainingControl &control)
{
    announceRun(control, run.id);
    finishRun(db, run.id, events, [&] {
        RunSession session(db, run.id, events, control.stop);
        RecommenderPhasePlan plan;
        plan.snapshot = *run.snapshot;
        plan.folder = RunRepository(db).runFolder(run.id);
        RecommenderPhase phase(db, run, config, session, control, plan);
        if (phase.run() == RecommenderPhase::Outcome::Stopped)
            return RunEnd{false, {}, phase.stopMessage()};
        return RunEnd{true, phase.summary(), {}};
    });
}

// The store key under which rank 0 announces the run.
constexpr const char *kRunKey = "run";

} // namespace

bool isFollowerRank(const TrainingControl &control)
{
    const ProcessGroupContext *group = severalRanks(control.group);
    return group && !group->isLeader();
}

void announceRun(const TrainingControl &control, std::int64_t run)
{
    if (control.group)
        control.group->publish(kRunKey, std::to_string(run));
}

std::int64_t announcedRun(const TrainingControl &control)
{
    return std::stoll(control.group->awaitValue(kRunKey));
}

std::int64_t trainRecommender(const Database &db, const TrainRequest &request, JobEvents &events,
                              const TrainingControl &control)
{
    if (isFollowerRank(control)) {
        const std::int64_t id = announcedRun(control);
        const RunRecord run = RunRepository(db).load(id);
        runAsFollower(db, run, RecommenderConfig::parse(run.config, run.name, "run " + std::to_string(id) + "'s config"),
                      events, control);
        return id;
    }
    RecommenderConfig config = RecommenderConfig::load(request.config);
    if (!request.device.empty())
        config.device = request.device;
    (void)parseDevice(config.device);
    (void)DatasetRepository(db).get(request.dataset);
    std::int64_t snapshot = 0;
    if (request.snapshot) {
        snapshot = IdSnapshotRepository(db).getOfDataset(*request.snapshot, request.dataset).id;
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
    if (isFollowerRank(control)) {
        const std::int64_t claimed = announcedRun(control);
        const RunRecord run = RunRepository(db).load(claimed);
        runAsFollower(db, run, RecommenderConfig::parse(run.config, run.name, "run " + std::to_string(id) + "'s config"),
                      events, control);
        return;
    }
    const RunRecord run = RunRepository(db).claimForResume(id, kKind);
    const RecommenderConfig config = RecommenderConfig::parse(run.config, run.name, "run " + std::to_string(id) + "'s config");
    if (control.onRunCreated)
        control.onRunCreated(id);
    runGuarded(db, run, config, events, control);
}

} // namespace idgen
