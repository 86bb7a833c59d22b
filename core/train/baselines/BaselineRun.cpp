#include "train/baselines/BaselineRun.h"

#include "data/Dataset.h"
#include "model/ModelFile.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "train/RunSession.h"
#include "train/baselines/BaselineData.h"
#include "train/baselines/MarkovScorer.h"
#include "train/baselines/PopularityScorer.h"
#include "train/baselines/SasRecTrainer.h"
#include "train/baselines/TargetRanks.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Clock.h"
#include "util/ConfigFile.h"
#include "util/Error.h"

#include <algorithm>
#include <memory>

namespace idgen {
namespace {

constexpr std::int64_t kCountEvalBatch = 1024;

bool isSasRec(const std::string &model)
{
    return model == "sasrec-ce" || model == "sasrec-bce";
}

// What the trainer reports, into the run: metric points stored (and shown) through the session,
// progress and log lines straight to the front end.
class SessionEvents final : public JobEvents {
public:
    explicit SessionEvents(RunSession &session) : m_session(session) {}
    void progress(double fraction, std::string_view stage) override { m_session.progress(fraction, stage); }
    void log(std::string_view message) override { m_session.log(message); }
    void metric(const MetricPoint &point) override
    {
        m_session.metric(point.round, point.epoch, point.step, point.split, point.name, point.value);
    }

private:
    RunSession &m_session;
};

nlohmann::json splitJson(const nlohmann::json &metrics, std::size_t users)
{
    return {{"metrics", metrics}, {"users", users}};
}

} // namespace

const std::vector<std::string> &baselineModels()
{
    static const std::vector<std::string> models = {"pop", "markov", "sasrec-ce", "sasrec-bce"};
    return models;
}

BaselineRun::BaselineRun(const Database &db, BaselineRequest request)
    : m_db(db)
    , m_request(std::move(request))
{
    const auto &models = baselineModels();
    if (std::find(models.begin(), models.end(), m_request.model) == models.end()) {
        std::string list;
        for (const auto &m : models)
            list += (list.empty() ? "" : ", ") + m;
        throw Error("unknown baseline model '" + m_request.model + "' (choose one of " + list + ")");
    }
    DatasetRepository(db).get(m_request.dataset); // throws listing the datasets
    parseDevice(m_request.device);                // throws for a device this build or machine lacks
    if (isSasRec(m_request.model)) {
        const bool builtIn = m_request.configPath.empty();
        m_configText = builtIn ? sasRecDefaultConfigText() : readConfigText(m_request.configPath);
        m_sasrec = SasRecConfig::parse(m_configText, builtIn ? std::string("built-in config 'sasrec'")
                                                             : m_request.configPath);
    } else if (!m_request.configPath.empty()) {
        throw Error("the " + m_request.model + " baseline has nothing to configure; --config is for sasrec-ce and "
                    "sasrec-bce");
    }
}

void BaselineRun::setGroup(ProcessGroupContext *group)
{
    if (group && group->worldSize() > 1 && !m_sasrec)
        throw Error("the " + m_request.model + " baseline fits in one process in seconds; data-parallel training "
                    "(--nproc, WORLD_SIZE) is for sasrec-ce and sasrec-bce");
    m_group = group;
}

SasRecTraining BaselineRun::sasRecTraining(const std::filesystem::path &folder) const
{
    SasRecTraining training;
    training.config = *m_sasrec;
    training.loss = m_request.model == "sasrec-ce" ? SasRecLoss::CrossEntropy : SasRecLoss::BinaryCrossEntropy;
    training.device = rankDevice(m_request.device, m_group);
    training.folder = folder;
    training.group = m_group;
    return training;
}

void BaselineRun::follow(JobEvents &events, StopToken stop)
{
    if (!m_sasrec)
        throw Error("only the SASRec baselines train data-parallel");
    const Dataset dataset = DatasetRepository(m_db).load(m_request.dataset);
    const BaselineSplit split = baselineSplit(dataset, static_cast<std::size_t>(m_sasrec->maxLength));
    (void)trainSasRec(split, sasRecTraining({}), events, [stop] { return stop.stopRequested(); });
}

std::int64_t BaselineRun::create()
{
    m_id = RunRepository(m_db).create(NewRun{m_request.dataset, "baseline", m_request.model, std::nullopt,
                                             m_configText,
                                             m_sasrec ? static_cast<std::uint64_t>(m_sasrec->seed) : 0,
                                             m_request.device});
    return m_id;
}

RunRecord BaselineRun::execute(JobEvents &events, StopToken stop)
{
    if (m_id == 0)
        create();
    RunRepository runs(m_db);
    try {
        train(events, stop);
    } catch (const std::exception &error) {
        try {
            runs.setStatus(m_id, "failed", error.what());
        } catch (...) {
            // The original error says more than a failed status write would.
        }
        throw;
    }
    return runs.load(m_id);
}

void BaselineRun::train(JobEvents &events, StopToken stop)
{
    Stopwatch total;
    RunRepository runs(m_db);
    RunSession session(m_db, m_id, events, stop);
    SessionEvents sessionEvents(session);
    const auto stopRequested = [&session] { return session.stopRequested(); };

    session.progress(0.0, "loading " + m_request.dataset);
    const Dataset dataset = DatasetRepository(m_db).load(m_request.dataset);
    const BaselineSplit split = baselineSplit(dataset, m_sasrec ? static_cast<std::size_t>(m_sasrec->maxLength) : 1);
    nlohmann::json summary = {{"model", m_request.model},
                              {"dataset", m_request.dataset},
                              {"device", m_request.device},
                              {"users", dataset.userCount()},
                              {"items", dataset.itemCount()},
                              {"train_targets", split.trainTargets()}};
    const std::filesystem::path folder = runs.runFolder(m_id);

    if (m_sasrec) {
        const SasRecTraining training = sasRecTraining(folder);
        summary["config"] = m_sasrec->toJson();
        summary["loss"] = sasRecLossName(training.loss);
        const auto record = [&](const SasRecOutcome &o) {
            summary["valid"] = splitJson(o.valid, o.validUsers);
            summary["best_epoch"] = o.bestEpoch;
            summary["epochs"] = o.epochs;
            summary["parameters"] = o.parameters;
            if (!o.bestCheckpoint.empty())
                summary["weights"] = runs.relativeToProject(o.bestCheckpoint);
            runs.setSummary(m_id, summary);
            runs.setCheckpoints(m_id, o.lastCheckpoint, o.bestCheckpoint);
        };
        const SasRecOutcome outcome = trainSasRec(split, training, sessionEvents, stopRequested, record);
        record(outcome);
        if (!outcome.test.is_null())
            summary["test"] = splitJson(outcome.test, outcome.testUsers);
        summary["item_embeddings"] = runs.relativeToProject(outcome.itemEmbeddings);
        summary["early_stopped"] = outcome.earlyStopped;
        summary["steps"] = outcome.steps;
        summary["train_seconds"] = outcome.trainSeconds;
        summary["eval_seconds"] = outcome.evalSeconds;
        summary["samples_per_s"] = outcome.samplesPerSecond;
        summary["seconds"] = total.seconds();
        session.flush();
        runs.setSummary(m_id, summary);
        if (outcome.stopped)
            runs.setStatus(m_id, "stopped",
                           "stopped by request after " + std::to_string(outcome.epochs) + " epochs (best weights: epoch " +
                               std::to_string(outcome.bestEpoch) + ")");
        else
            runs.setStatus(m_id, "done");
        return;
    }

    const c10::Device device = parseDevice(m_request.device);
    std::unique_ptr<BaselineScorer> scorer;
    if (m_request.model == "pop") {
        scorer = std::make_unique<PopularityScorer>(split.train, split.items, device);
    } else {
        auto markov = std::make_unique<MarkovScorer>(split.train, split.items, device);
        summary["transitions"] = markov->transitions();
        scorer = std::move(markov);
    }
    summary["epochs"] = 0;
    summary["best_epoch"] = 0;
    try {
        session.progress(0.3, "validation");
        const RankingMetrics valid = evaluateScorer(*scorer, split.valid, kCountEvalBatch, stopRequested);
        const nlohmann::json validJson = valid.toJson();
        summary["valid"] = splitJson(validJson, valid.users());
        for (const auto &[name, value] : validJson.items())
            session.metric(0, 0, 0, "valid", name, value.get<double>());
        session.progress(0.6, "test");
        const RankingMetrics test = evaluateScorer(*scorer, split.test, kCountEvalBatch, stopRequested);
        const nlohmann::json testJson = test.toJson();
        summary["test"] = splitJson(testJson, test.users());
        for (const auto &[name, value] : testJson.items())
            session.metric(0, 0, 0, "test", name, value.get<double>());
    } catch (const Cancelled &) {
        summary["seconds"] = total.seconds();
        session.flush();
        runs.setSummary(m_id, summary);
        runs.setStatus(m_id, "stopped", "stopped by request during evaluation");
        return;
    }
    session.progress(1.0, "done");
    summary["seconds"] = total.seconds();
    session.flush();
    runs.setSummary(m_id, summary);
    runs.setStatus(m_id, "done");
}

} // namespace idgen
