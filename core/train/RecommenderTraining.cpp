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

// A plain recommender run is one phase on its snapshot.
void runGuarded(const Database &db, const RunRecord &run, const RecommenderConfig &config, JobEvents &events,
                const TrainingControl &control)
{
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
    const RunRecord run = RunRepository(db).claimForResume(id, kKind);
    const RecommenderConfig config = RecommenderConfig::parse(run.config, run.name, "run " + std::to_string(id) + "'s config");
    if (control.onRunCreated)
        control.onRunCreated(id);
    runGuarded(db, run, config, events, control);
}

} // namespace idgen
