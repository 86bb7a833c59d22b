#include "train/AlternateTraining.h"

#include "data/Dataset.h"
#include "ids/GeneratorWarmup.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdDiff.h"
#include "ids/IdSnapshotRepository.h"
#include "model/ModelFile.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "text/TokenizerRepository.h"
#include "train/AlternateConfig.h"
#include "train/BuiltinConfigs.h"
#include "train/IdPhase.h"
#include "train/RecommenderPhase.h"
#include "train/RunSession.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Error.h"

#include <fstream>

namespace idgen {
namespace {

constexpr const char *kKind = "alternate";

// How the config's generator is warm-started when the dataset has none yet.
GeneratorWarmupOptions warmupOptions(const AlternateConfig &config, const std::string &device)
{
    GeneratorWarmupOptions warmup;
    warmup.config = config.generatorSize;
    warmup.epochs = config.warmupEpochs;
    warmup.learningRate = config.warmupLearningRate;
    warmup.maxSourceTokens = config.maxSourceTokens;
    warmup.device = device;
    return warmup;
}

// Algorithm 1 with the config's generator settings: the same text length as its training.
IdAssignmentOptions textualAssignment(const AlternateConfig &config, const std::string &dataset,
                                      const std::string &device)
{
    IdAssignmentOptions options;
    options.dataset = dataset;
    options.scheme = "textual";
    options.device = device;
    options.maxSourceTokens = config.maxSourceTokens;
    options.warmup = warmupOptions(config, device);
    options.userHistory = config.leakyUsers ? UserIdHistory::Leaky : UserIdHistory::LeakFree;
    return options;
}

struct Step {
    std::string phase; // "recommender", "id", "assign"
    int round = 0;
};

std::vector<Step> schedule(const AlternateConfig &config)
{
    std::vector<Step> steps;
    if (config.first == "recommender")
        steps.push_back({"recommender", 0});
    for (int r = 1; r <= config.rounds; ++r) {
        steps.push_back({"id", r});
        steps.push_back({"assign", r});
        steps.push_back({"recommender", r});
    }
    return steps;
}

// alternate.json: which steps are done, each round's snapshot, the newest generator and
// recommender, and the per-round figures. Written to a temporary sibling, then renamed.
class AlternateState {
public:
    explicit AlternateState(std::filesystem::path path) : m_path(std::move(path)) { reload(); }
    // A data-parallel rank other than 0 reads what rank 0 wrote (after a barrier).
    void reload()
    {
        if (std::filesystem::exists(m_path)) {
            std::ifstream in(m_path);
            m_json = nlohmann::json::parse(in);
        }
    }
    nlohmann::json &json() { return m_json; }
    const nlohmann::json &json() const { return m_json; }
    bool fresh() const { return m_json.is_null(); }
    void save() const
    {
        const std::filesystem::path temporary = m_path.string() + ".tmp";
        {
            std::ofstream out(temporary, std::ios::trunc);
            out << m_json.dump(2);
            if (!out)
                throw Error("cannot write " + temporary.string());
        }
        std::filesystem::rename(temporary, m_path);
    }

private:
    std::filesystem::path m_path;
    nlohmann::json m_json;
};

class AlternateRun {
public:
    AlternateRun(const Database &db, const RunRecord &run, const AlternateConfig &config, JobEvents &events,
                 const TrainingControl &control)
        : m_db(db)
        , m_run(run)
        , m_config(config)
        , m_runs(db)
        , m_group(severalRanks(control.group))
        , m_session(db, run.id, events, control.stop, leader())
        , m_control(control)
        , m_folder(m_runs.runFolder(run.id))
        , m_state(m_folder / "alternate.json")
    {
    }

    // True when finished, false when stopped. In a data-parallel run every rank walks the same
    // steps (each phase splits its own work across them); rank 0 alone writes alternate.json and
    // the others re-read it after every step.
    bool run()
    {
        std::string where = "preparing the run";
        try {
            if (m_state.fresh() && leader())
                start();
            synchronize("waiting for rank 0 to prepare the run");
            const auto steps = schedule(m_config);
            for (auto i = static_cast<std::size_t>(m_state.json()["done"].get<int>()); i < steps.size(); ++i) {
                const bool last = i + 1 == steps.size();
                where = "the " + steps[i].phase + " step of round " + std::to_string(steps[i].round);
                const bool finished = steps[i].phase == "id"       ? idPhase(steps[i].round)
                                      : steps[i].phase == "assign" ? assign(steps[i].round)
                                                                   : recommenderPhase(steps[i].round, last);
                if (!finished)
                    return false;
                if (leader()) {
                    m_state.json()["done"] = i + 1;
                    m_state.save();
                }
                synchronize("waiting for rank 0 to record the step");
            }
            return true;
        } catch (const DistributedFailure &failure) {
            // A rank failed outside the phases' own step loops (an assignment, a barrier): the
            // step is redone on resume, as alternate.json has not counted it.
            throw RunInterrupted(std::string(failure.what()) + "; the data-parallel run stopped in " + where +
                                 "; idgenrec resume --run " + std::to_string(m_run.id) +
                                 " redoes that step, with any number of processes");
        }
    }

    const std::string &stopMessage() const { return m_stopMessage; }
    nlohmann::json summary() const
    {
        nlohmann::json out = m_lastSummary;
        out["rounds"] = m_state.json()["rounds"];
        return out;
    }

private:
    bool leader() const { return !m_group || m_group->isLeader(); }

    void synchronize(const std::string &what)
    {
        if (!m_group)
            return;
        m_group->barrier(what);
        if (!leader())
            m_state.reload();
    }

    // Round 0: the initial IDs and the run's own copy of the generator (and, for the published
    // ID-phase-first order, a freshly initialised recommender for round 1 to score against).
    void start()
    {
        auto &json = m_state.json();
        json = {{"done", 0}, {"snapshots", nlohmann::json::object()}, {"rounds", nlohmann::json::array()}};
        const IdSnapshot snapshot = IdSnapshotRepository(m_db).load(*m_run.snapshot);
        const Tokenizer tokenizer = TokenizerRepository(m_db).load(snapshot.dataset, snapshot.tokenizer);
        std::filesystem::path generator = datasetGenerator(snapshot);
        const std::filesystem::path copy = m_folder / "generator-round-0.ckpt";
        std::filesystem::copy_file(generator, copy, std::filesystem::copy_options::overwrite_existing);
        json["generator"] = copy.string();
        json["snapshots"]["0"] = snapshot.id;
        m_runs.linkSnapshot(m_run.id, 0, snapshot.id);
        const std::filesystem::path initial = m_folder / "recommender-init.ckpt";
        writeInitialModel(initial, m_config.recommender.modelConfig(tokenizer.vocabSize()), "recommender",
                          m_config.recommender.seed, {{"tokenizer_hash", tokenizer.contentHash()}});
        json["recommender"] = initial.string();
        m_state.save();
    }

    // The generator that wrote the snapshot (textual scheme), else the project's, warm-started
    // when the dataset has none yet.
    std::filesystem::path datasetGenerator(const IdSnapshot &snapshot)
    {
        const auto written = snapshot.options.value("generator", nlohmann::json::object()).value("checkpoint", "");
        if (!written.empty() && std::filesystem::exists(written))
            return written;
        const std::filesystem::path path = defaultGeneratorPath(m_db, snapshot.dataset);
        const GeneratorWarmupOptions warmup = warmupOptions(m_config, m_run.device);
        const Dataset dataset = DatasetRepository(m_db).load(snapshot.dataset);
        const Tokenizer tokenizer = TokenizerRepository(m_db).load(snapshot.dataset, snapshot.tokenizer);
        warmStartGenerator(dataset, tokenizer, warmup, path, m_session.events(), m_control.stop);
        return path;
    }

    std::filesystem::path roundFolder(int round) const { return m_folder / ("round-" + std::to_string(round)); }
    std::int64_t snapshotOf(int round) const
    {
        return m_state.json()["snapshots"][std::to_string(round)].get<std::int64_t>();
    }

    bool idPhase(int round)
    {
        IdPhasePlan plan;
        plan.round = round;
        plan.snapshot = snapshotOf(round - 1);
        plan.folder = roundFolder(round);
        plan.generatorIn = m_state.json()["generator"].get<std::string>();
        plan.recommender = m_state.json()["recommender"].get<std::string>();
        IdPhase phase(m_db, m_run.device, m_config, m_session, m_control, plan);
        if (phase.run() == IdPhase::Outcome::Stopped) {
            m_stopMessage = "stopped in the ID phase of round " + std::to_string(round) + "; idgenrec resume continues it";
            return false;
        }
        m_state.json()["generator"] = phase.generatorOut().string();
        roundStats(round)["id_loss"] = phase.meanLoss();
        roundStats(round)["id_samples_per_s"] = phase.samplesPerSecond();
        m_session.log("round " + std::to_string(round) + ": ID phase done (" +
                      std::to_string(phase.samplesPerSecond()) + " samples/s)");
        return true;
    }

    bool assign(int round)
    {
        IdAssignmentOptions options = textualAssignment(m_config, m_run.dataset, m_run.device);
        options.group = m_group;
        options.round = round;
        options.name = "run " + std::to_string(m_run.id) + " round " + std::to_string(round);
        options.generatorCheckpoint = m_state.json()["generator"].get<std::string>();
        IdAssignmentReport report;
        try {
            report = assignIds(m_db, options, m_session.events(), m_control.stop);
        } catch (const Cancelled &) {
            m_stopMessage = "stopped while assigning the IDs of round " + std::to_string(round) +
                            "; idgenrec resume assigns them again";
            return false;
        }
        if (!leader())
            return true; // rank 0 records the snapshot; the others re-read alternate.json
        const std::int64_t snapshot = report.snapshot.id;
        m_state.json()["snapshots"][std::to_string(round)] = snapshot;
        m_runs.linkSnapshot(m_run.id, round, snapshot);
        m_runs.setSnapshot(m_run.id, snapshot);

        IdSnapshotRepository repository(m_db);
        const IdSnapshot before = repository.load(snapshotOf(round - 1));
        const IdSnapshot after = repository.load(snapshot);
        const IdDiff diff = diffSnapshots(DatasetRepository(m_db).load(m_run.dataset), before, after, 5);
        nlohmann::json &stats = roundStats(round);
        stats["snapshot"] = snapshot;
        stats["changed"] = diff.changed;
        stats["changed_fraction"] = diff.changedFraction;
        stats["mean_edit_words"] = diff.meanEditWords;
        stats["collisions_resolved"] = report.items.collisionsResolved;
        stats["escalations"] = report.items.escalations;
        stats["fallbacks"] = report.items.fallbacks;
        stats["mean_tokens"] = report.items.meanTokens;
        for (const char *name : {"changed_fraction", "mean_edit_words", "collisions_resolved", "escalations",
                                 "fallbacks", "mean_tokens"})
            m_session.metric(round, 0, 0, "ids", name, stats[name].get<double>());
        m_session.log("round " + std::to_string(round) + ": snapshot " + std::to_string(snapshot) + ", " +
                      std::to_string(diff.changed) + " of " + std::to_string(diff.items) + " item IDs changed");
        return true;
    }

    bool recommenderPhase(int round, bool last)
    {
        RecommenderPhasePlan plan;
        plan.round = round;
        plan.snapshot = snapshotOf(round);
        plan.folder = roundFolder(round);
        plan.epochs = round == 0 ? m_config.initialRecommenderEpochs : m_config.recommenderEpochs;
        // Round 0 and restarting configs begin from seeded weights; otherwise the recommender
        // carries on from the best of the round before.
        if (round > 0 && !m_config.restartRecommender)
            plan.initialWeights = m_state.json()["recommender"].get<std::string>();
        plan.test = last;
        RunRecord run = m_run;
        run.snapshot = plan.snapshot;
        RecommenderPhase phase(m_db, run, m_config.recommender, m_session, m_control, plan);
        if (phase.run() == RecommenderPhase::Outcome::Stopped) {
            m_stopMessage = phase.stopMessage();
            return false;
        }
        m_state.json()["recommender"] = (plan.folder / "best.ckpt").string();
        m_lastSummary = phase.summary();
        roundStats(round)["valid"] = m_lastSummary["valid"]["metrics"];
        if (last)
            roundStats(round)["test"] = m_lastSummary["test"]["metrics"];
        return true;
    }

    nlohmann::json &roundStats(int round)
    {
        auto &rounds = m_state.json()["rounds"];
        for (auto &r : rounds)
            if (r["round"].get<int>() == round)
                return r;
        rounds.push_back({{"round", round}});
        return rounds.back();
    }

    const Database &m_db;
    RunRecord m_run;
    const AlternateConfig &m_config;
    RunRepository m_runs;
    ProcessGroupContext *m_group;
    RunSession m_session;
    const TrainingControl &m_control;
    std::filesystem::path m_folder;
    AlternateState m_state;
    nlohmann::json m_lastSummary = nlohmann::json::object();
    std::string m_stopMessage;
};

// A rank other than 0 of a data-parallel run: the same steps, nothing recorded (rank 0 records
// the run's end; a failure here reaches rank 0 through the collectives).
std::int64_t followRun(const Database &db, const TrainingControl &control, JobEvents &events)
{
    const std::int64_t id = announcedRun(control);
    const RunRecord run = RunRepository(db).load(id);
    const AlternateConfig config = AlternateConfig::parse(run.config, run.name, "run " + std::to_string(id) + "'s config");
    AlternateRun(db, run, config, events, control).run();
    return id;
}

void runGuarded(const Database &db, const RunRecord &run, const AlternateConfig &config, JobEvents &events,
                const TrainingControl &control)
{
    announceRun(control, run.id);
    finishRun(db, run.id, events, [&] {
        AlternateRun alternate(db, run, config, events, control);
        if (!alternate.run())
            return RunEnd{false, {}, alternate.stopMessage()};
        return RunEnd{true, alternate.summary(), {}};
    });
}

// Every rank takes part: Algorithm 1's searches are split across a data-parallel group.
std::int64_t initialSnapshot(const Database &db, const TrainRequest &request, const AlternateConfig &config,
                             JobEvents &events, const TrainingControl &control)
{
    if (request.snapshot) {
        return IdSnapshotRepository(db).getOfDataset(*request.snapshot, request.dataset).id;
    }
    IdAssignmentOptions options = textualAssignment(config, request.dataset, config.recommender.device);
    options.group = control.group;
    options.name = "alternate round 0";
    events.log("no --snapshot given: textual IDs from the project's ID generator are round 0");
    return assignIds(db, options, events, control.stop).snapshot.id;
}

} // namespace

std::int64_t trainAlternate(const Database &db, const TrainRequest &request, JobEvents &events,
                            const TrainingControl &control)
{
    const ConfigSource source = resolveConfig(request.config);
    AlternateConfig config = AlternateConfig::parse(source.text, source.name, source.origin);
    if (!request.device.empty())
        config.recommender.device = request.device;
    (void)parseDevice(config.recommender.device);
    (void)DatasetRepository(db).get(request.dataset);
    const std::int64_t snapshot = initialSnapshot(db, request, config, events, control);
    if (isFollowerRank(control))
        return followRun(db, control, events);
    RunRepository runs(db);
    const std::int64_t id = runs.create({request.dataset, kKind, config.recommender.name, snapshot, source.text,
                                         config.recommender.seed, config.recommender.device});
    if (control.onRunCreated)
        control.onRunCreated(id);
    runGuarded(db, runs.load(id), config, events, control);
    return id;
}

void resumeAlternate(const Database &db, std::int64_t id, JobEvents &events, const TrainingControl &control)
{
    if (isFollowerRank(control)) {
        (void)followRun(db, control, events);
        return;
    }
    const RunRecord run = RunRepository(db).claimForResume(id, kKind);
    const AlternateConfig config = AlternateConfig::parse(run.config, run.name, "run " + std::to_string(id) + "'s config");
    if (control.onRunCreated)
        control.onRunCreated(id);
    runGuarded(db, run, config, events, control);
}

} // namespace idgen
