#include "train/RecommenderPhase.h"

#include "data/Dataset.h"
#include "data/Prompts.h"
#include "eval/EvaluationStore.h"
#include "eval/FullRankingEvaluator.h"
#include "ids/IdSnapshotRepository.h"
#include "model/ModelFile.h"
#include "model/VocabularyGrowth.h"
#include "recommend/RecommenderSetup.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "ids/SnapshotVocabulary.h"
#include "train/PromptAssembler.h"
#include "train/RunSession.h"
#include "train/Seq2SeqTrainer.h"
#include "train/TrainingSamples.h"
#include "train/distributed/DistributedEvaluation.h"
#include "train/distributed/DataParallel.h"
#include "train/distributed/GradientAllReduce.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

namespace idgen {
namespace {

constexpr const char *kKind = "recommender";

// Everything a run trains and validates on, loaded once.
struct RunData {
    Dataset dataset;
    IdSnapshot snapshot;
    Tokenizer tokenizer;
    PrefixTrie trie;
    std::vector<TrainingSample> samples;
    std::vector<std::vector<int>> targets; // per item: its ID tokens + eos
    std::vector<std::size_t> validationUsers;
};

// The users validation decodes: all users with a validation item, or a fixed random sample of
// them (seeded, so every epoch and a resumed run validate on the same users).
std::vector<std::size_t> validationUsers(const Dataset &dataset, const RecommenderConfig &config)
{
    std::vector<std::size_t> users;
    for (std::size_t u = 0; u < dataset.userCount(); ++u)
        if (dataset.sequence(u).size() >= 3)
            users.push_back(u);
    if (config.validationUsers > 0 && users.size() > static_cast<std::size_t>(config.validationUsers)) {
        std::mt19937_64 rng(config.validationSeed);
        std::shuffle(users.begin(), users.end(), rng);
        users.resize(static_cast<std::size_t>(config.validationUsers));
        std::sort(users.begin(), users.end());
    }
    return users;
}

RunData loadRunData(const Database &db, std::int64_t snapshotId, const RecommenderConfig &config)
{
    IdSnapshot snapshot = IdSnapshotRepository(db).load(snapshotId);
    if (!snapshot.tokenizerId)
        throw Error("snapshot " + std::to_string(snapshotId) + " was encoded with tokenizer '" + snapshot.tokenizer +
                    "', which has since been replaced or removed; assign IDs again (idgenrec ids assign)");
    Dataset dataset = DatasetRepository(db).load(snapshot.dataset);
    Tokenizer tokenizer = loadSnapshotTokenizer(db, snapshot);
    PrefixTrie trie = itemTrie(snapshot, tokenizer.specialIds().eos);
    RunData data{std::move(dataset), std::move(snapshot), std::move(tokenizer), std::move(trie), {}, {}, {}};
    data.samples = trainingSamples(data.dataset, static_cast<std::size_t>(config.maxHistory));
    if (data.samples.empty())
        throw Error("dataset '" + data.snapshot.dataset + "' has no training samples (every user has fewer than 4 items)");
    const int eos = data.tokenizer.specialIds().eos;
    for (const auto &tokens : data.snapshot.items.tokens) {
        data.targets.push_back(tokens);
        data.targets.back().push_back(eos);
    }
    data.validationUsers = validationUsers(data.dataset, config);
    return data;
}

} // namespace

class RecommenderPhase::Impl {
public:
    Impl(const Database &db, const RunRecord &run, const RecommenderConfig &config, RunSession &session,
         const TrainingControl &control, RecommenderPhasePlan plan)
        : m_db(db)
        , m_run(run)
        , m_config(config)
        , m_session(session)
        , m_control(control)
        , m_group(severalRanks(control.group))
        , m_plan(std::move(plan))
        , m_epochs(m_plan.epochs > 0 ? m_plan.epochs : config.epochs)
        , m_data(loadRunData(db, m_plan.snapshot, config))
        , m_prompts(m_data.tokenizer, m_data.snapshot, config.maxPromptTokens)
    {
        const std::string device = rankDevice(run.device, control.group);
        m_modelConfig = config.modelConfig(m_data.tokenizer.vocabSize());
        at::manual_seed(config.seed);
        m_model = std::make_shared<T5Model>(m_modelConfig);
        m_model->to(parseDevice(device));
        const auto batchesPerEpoch = static_cast<std::int64_t>(epochPlan(0).size());
        Seq2SeqTrainerOptions options;
        options.learningRate = config.learningRate;
        options.weightDecay = config.weightDecay;
        options.warmupFraction = config.warmupFraction;
        options.totalSteps = batchesPerEpoch * m_epochs;
        options.clipNorm = config.clip;
        options.bf16 = config.bf16;
        options.lossAverage = config.lossAverage;
        options.rankingTemperature = config.rankingLoss ? config.rankingTemperature : 0.0;
        m_trainer = std::make_unique<Seq2SeqTrainer>(*m_model, options);
        m_parallel = std::make_unique<DataParallel>(m_group, m_model->parameters());
        m_trainer->setGradientAllReduce(m_parallel->allReduce());
        m_folder = m_plan.folder;
        std::filesystem::create_directories(m_folder);
        checkPrompts();
    }

    Outcome run()
    {
        CheckpointState state = startState();
        if (!m_group)
            return runEpochs(state);
        try {
            return runEpochs(state);
        } catch (const DistributedFailure &failure) {
            throw interrupted(failure, state);
        }
    }

    const nlohmann::json &summary() const { return m_summary; }
    const std::string &stopMessage() const { return m_stopMessage; }

private:
    Outcome runEpochs(CheckpointState &state)
    {
        const std::int64_t totalSteps = static_cast<std::int64_t>(epochPlan(0).size()) * m_epochs;
        Stopwatch sinceCheckpoint;
        for (std::int64_t epoch = state.epoch; epoch < m_epochs; ++epoch) {
            const auto batches = epochPlan(epoch);
            for (auto b = static_cast<std::size_t>(state.position); b < batches.size(); ++b) {
                if (stopAgreed()) {
                    state.position = static_cast<std::int64_t>(b);
                    saveLast(state);
                    m_stopMessage = "stopped in round " + std::to_string(m_plan.round) + " at epoch " +
                                    std::to_string(epoch + 1) + ", step " + std::to_string(m_trainer->steps()) +
                                    "; idgenrec resume continues it";
                    m_session.flush();
                    return Outcome::Stopped;
                }
                const double loss = trainBatch(batches[b], state);
                m_session.metric(m_plan.round, static_cast<int>(epoch), m_trainer->steps(), "train", "loss", loss);
                state.position = static_cast<std::int64_t>(b + 1);
                m_stepsAtPosition = m_trainer->steps();
                if (dueForCheckpoint(sinceCheckpoint)) {
                    saveLast(state);
                    sinceCheckpoint.restart();
                }
                m_session.progress(static_cast<double>(m_trainer->steps()) / static_cast<double>(totalSteps),
                                   stage(epoch));
            }
            state = endEpoch(epoch, std::move(state));
            saveLast(state);
            sinceCheckpoint.restart();
            if (earlyStop(state)) {
                m_session.log("no validation gain for " + std::to_string(m_config.patience) +
                              " validations: stopping early");
                break;
            }
        }
        finishPhase(state);
        m_session.flush();
        return Outcome::Finished;
    }

    // At a step boundary: this process's stop (Ctrl-C, SIGTERM, `idgenrec stop` for rank 0), and
    // in a data-parallel run the ranks' vote, so they all stop at the same step.
    bool stopAgreed()
    {
        return m_parallel->stopVote(m_session.waitWhilePausedOrStop(m_control.pause));
    }

    // A rank failed: rank 0 keeps last.ckpt at the last step every rank finished (the weights
    // change only after the gradient all-reduce, so a failed step never half-applies), and the
    // run ends as interrupted, resumable with any number of ranks.
    RunInterrupted interrupted(const DistributedFailure &failure, CheckpointState state)
    {
        if (m_trainer->steps() > m_stepsAtPosition)
            state.position += 1; // the step finished; only its loss exchange failed
        std::string message = std::string(failure.what()) + "; the data-parallel run stopped";
        if (leader()) {
            try {
                saveLast(state);
                message += " with last.ckpt at epoch " + std::to_string(state.epoch + 1) + ", batch " +
                           std::to_string(state.position) + " (step " + std::to_string(m_trainer->steps()) +
                           "); idgenrec resume --run " + std::to_string(m_run.id) +
                           " continues it, with any number of processes";
            } catch (const std::exception &error) {
                message += "; saving last.ckpt failed too: " + std::string(error.what());
            }
        }
        return RunInterrupted(message);
    }

    bool leader() const { return m_parallel->leader(); }
    std::string stage(std::int64_t epoch) const
    {
        std::string text = "epoch " + std::to_string(epoch + 1) + "/" + std::to_string(m_epochs);
        return m_plan.round > 0 ? "round " + std::to_string(m_plan.round) + ", " + text : text;
    }

    std::vector<std::vector<TrainingExample>> epochPlan(std::int64_t epoch) const
    {
        return epochBatches(m_data.samples.size(), m_config.templatesPerSample, m_config.batch, m_config.seed, epoch,
                            [this](const TrainingExample &e) { return promptLength(e); });
    }

    // Cheap estimate for bucketing: the history's ID tokens (templates differ by a few tokens).
    std::size_t promptLength(const TrainingExample &example) const
    {
        std::size_t length = 0;
        for (const std::uint32_t item : sampleHistory(m_data.dataset, m_data.samples[example.sample]))
            length += m_data.snapshot.items.tokens[item].size() + 1;
        return length;
    }

    void checkPrompts()
    {
        std::vector<PromptAssembler::Case> cases;
        for (std::size_t i = 0; i < m_data.samples.size() && cases.size() < 200; i += 1 + m_data.samples.size() / 200) {
            const auto &s = m_data.samples[i];
            cases.push_back({i % PromptTemplates::kTrainingCount, s.user, sampleHistory(m_data.dataset, s)});
        }
        if (!m_prompts.verify(cases))
            m_session.log("this tokenizer joins pieces across words, so prompts are encoded from their text (slower)");
    }

    CheckpointState startState()
    {
        const std::filesystem::path last = m_folder / "last.ckpt";
        CheckpointState state = modelCheckpointState(m_modelConfig, kKind, checkpointExtra());
        state.extra["best"] = -1.0;
        state.extra["best_epoch"] = -1;
        state.extra["validations_without_gain"] = 0;
        state.extra["epoch_loss_sum"] = 0.0;
        state.extra["epoch_loss_steps"] = 0;
        state.extra["train_seconds"] = 0.0;
        state.extra["train_examples"] = 0;
        state.extra["train_tokens"] = 0;
        if (std::filesystem::exists(last)) {
            state = m_trainer->load(last);
            m_session.log("resuming run " + std::to_string(m_run.id) + " at epoch " + std::to_string(state.epoch + 1) +
                          ", batch " + std::to_string(state.position) + " (step " + std::to_string(state.step) + ")");
        } else if (!m_plan.initialWeights.empty()) {
            // Written for the dataset's tokenizer, the starting weights may lack rows for the
            // snapshot's added tokens: they grow to the snapshot's vocabulary.
            const std::int64_t saved = loadWeightsGrowingVocabulary(m_plan.initialWeights, *m_model);
            m_session.log("round " + std::to_string(m_plan.round) + ": the recommender continues from " +
                          m_plan.initialWeights.filename().string() +
                          (saved < m_modelConfig.vocabSize ? " (vocabulary grown from " + std::to_string(saved) +
                                                                 " to " + std::to_string(m_modelConfig.vocabSize) +
                                                                 " tokens)"
                                                           : ""));
        }
        m_stepsAtPosition = m_trainer->steps();
        if (m_group)
            joinGroup(state);
        return state;
    }

    // Every rank starts from rank 0's weights; ranks above 0 draw their dropout masks from (seed,
    // rank, step), rank 0 keeps the checkpoint's RNG stream.
    void joinGroup(const CheckpointState &state)
    {
        m_parallel->startFromLeader(parametersAndBuffers(*m_model),
                                    static_cast<std::uint64_t>(m_config.seed) + static_cast<std::uint64_t>(state.step));
        m_session.log("data-parallel: rank " + std::to_string(m_group->rank()) + " of " +
                      std::to_string(m_group->worldSize()) + ", global batch " + std::to_string(m_config.batch) +
                      " split across the ranks, " + std::to_string(m_parallel->allReduce()->bucketCount()) + " gradient buckets");
    }

    nlohmann::json checkpointExtra() const
    {
        return {{"tokenizer_hash", m_data.tokenizer.contentHash()},
                {"added_tokens", m_data.tokenizer.addedTokens()},
                {"run", m_run.id},
                {"snapshot", m_plan.snapshot},
                {"round", m_plan.round},
                {"dataset", m_data.snapshot.dataset}};
    }

    double trainBatch(const std::vector<TrainingExample> &batch, CheckpointState &state)
    {
        std::vector<std::vector<int>> sources;
        std::vector<std::vector<int>> targets;
        std::size_t longestSource = 0;
        std::size_t longestTarget = 0;
        const auto [begin, end] = m_parallel->rows(batch.size());
        for (std::size_t i = begin; i < end; ++i) {
            const TrainingExample &example = batch[i];
            const TrainingSample &sample = m_data.samples[example.sample];
            sources.push_back(m_prompts.build(example.templateIndex, sample.user, sampleHistory(m_data.dataset, sample)));
            targets.push_back(m_data.targets[sample.target]);
            longestSource = std::max(longestSource, sources.back().size());
            longestTarget = std::max(longestTarget, targets.back().size());
        }
        const Stopwatch watch;
        double loss = m_trainer->step(sources, targets, lossShare(batch, begin, end));
        auto tokens = static_cast<double>(sources.size() * (longestSource + longestTarget));
        const auto sums = m_parallel->sum({loss, tokens}, "the step's loss exchange");
        loss = sums[0]; // the shares' scaled losses add up to the global batch's loss
        tokens = sums[1];
        auto &extra = state.extra;
        extra["train_seconds"] = extra["train_seconds"].get<double>() + watch.seconds();
        extra["train_examples"] = extra["train_examples"].get<std::int64_t>() + static_cast<std::int64_t>(batch.size());
        extra["train_tokens"] = extra["train_tokens"].get<std::int64_t>() + static_cast<std::int64_t>(tokens);
        extra["epoch_loss_sum"] = extra["epoch_loss_sum"].get<double>() + loss;
        extra["epoch_loss_steps"] = extra["epoch_loss_steps"].get<std::int64_t>() + 1;
        return loss;
    }

    // This rank's share [begin, end) of the global batch's loss: its samples' fraction (the loss
    // averaged per sample) or its target tokens' fraction (per token), so the ranks' gradients
    // sum to the global batch's gradient whatever the number of ranks.
    double lossShare(const std::vector<TrainingExample> &batch, std::size_t begin, std::size_t end) const
    {
        if (!m_group)
            return 1.0;
        if (m_config.lossAverage == LossAverage::Sample)
            return static_cast<double>(end - begin) / static_cast<double>(batch.size());
        std::size_t mine = 0;
        std::size_t all = 0;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const std::size_t length = m_data.targets[m_data.samples[batch[i].sample].target].size();
            all += length;
            if (i >= begin && i < end)
                mine += length;
        }
        return static_cast<double>(mine) / static_cast<double>(all);
    }

    bool dueForCheckpoint(const Stopwatch &sinceCheckpoint) const
    {
        if (m_config.checkpointEverySteps > 0 && m_trainer->steps() % m_config.checkpointEverySteps == 0)
            return true;
        return m_config.checkpointEveryMinutes > 0.0 && sinceCheckpoint.seconds() >= 60.0 * m_config.checkpointEveryMinutes;
    }

    void saveLast(const CheckpointState &state)
    {
        m_session.flush();
        if (!leader())
            return;
        m_trainer->save(m_folder / "last.ckpt", state);
        const bool hasBest = std::filesystem::exists(m_folder / "best.ckpt");
        m_session.runs().setCheckpoints(m_run.id, m_folder / "last.ckpt",
                                        hasBest ? m_folder / "best.ckpt" : std::filesystem::path());
    }

    EvaluationRequest evaluationRequest(EvaluationSplit split, int beams) const
    {
        EvaluationRequest request;
        request.split = split;
        request.beams = beams;
        request.device = m_run.device;
        request.bf16 = m_config.bf16;
        request.maxHistory = static_cast<std::size_t>(m_config.maxHistory);
        request.maxPromptTokens = m_config.maxPromptTokens;
        request.run = m_run.id;
        request.snapshot = m_plan.snapshot;
        return request;
    }

    EvaluationData evaluationData() const
    {
        return {m_data.dataset, m_data.snapshot, m_data.tokenizer, m_data.trie};
    }

    void recordMetrics(int epoch, const std::string &split, const RankingMetrics &metrics)
    {
        const nlohmann::json values = metrics.toJson();
        for (const auto &[name, value] : values.items())
            m_session.metric(m_plan.round, epoch, m_trainer->steps(), split, name, value.get<double>());
    }

    CheckpointState endEpoch(std::int64_t epoch, CheckpointState state)
    {
        auto &extra = state.extra;
        const auto steps = extra["epoch_loss_steps"].get<std::int64_t>();
        const double meanLoss = steps > 0 ? extra["epoch_loss_sum"].get<double>() / static_cast<double>(steps) : 0.0;
        m_session.metric(m_plan.round, static_cast<int>(epoch), m_trainer->steps(), "train", "epoch_loss", meanLoss);
        extra["epoch_loss_sum"] = 0.0;
        extra["epoch_loss_steps"] = 0;
        state.epoch = epoch + 1;
        state.position = 0;
        const bool lastEpoch = epoch + 1 == m_epochs;
        std::string line = stage(epoch) + ": mean loss " + std::to_string(meanLoss);
        if ((epoch + 1) % m_config.validateEvery == 0 || lastEpoch) {
            EvaluationRequest request = evaluationRequest(EvaluationSplit::Valid, m_config.validationBeams);
            request.onlyUsers = m_data.validationUsers;
            const EvaluationResult result = evaluateAcrossRanks(m_group, *m_model, evaluationData(), request);
            recordMetrics(static_cast<int>(epoch), "valid", result.metrics);
            const int k = std::min(10, result.metrics.cutoffs().back());
            const double score = result.metrics.hitRate(k) + 1e-3 * result.metrics.ndcg(k);
            line += ", valid HR@" + std::to_string(k) + " " + std::to_string(result.metrics.hitRate(k));
            if (score > extra["best"].get<double>()) {
                extra["best"] = score;
                extra["best_epoch"] = epoch + 1;
                extra["best_valid"] = result.metrics.toJson();
                extra["validations_without_gain"] = 0;
                CheckpointState best = modelCheckpointState(m_modelConfig, kKind, checkpointExtra());
                best.step = m_trainer->steps();
                best.epoch = epoch + 1;
                if (leader())
                    saveCheckpoint(m_folder / "best.ckpt", *m_model, nullptr, best);
                line += " (best so far)";
            } else {
                extra["validations_without_gain"] = extra["validations_without_gain"].get<int>() + 1;
            }
        }
        m_session.log(line);
        return state;
    }

    bool earlyStop(const CheckpointState &state) const
    {
        return m_config.patience > 0 && state.extra["validations_without_gain"].get<int>() >= m_config.patience;
    }

    void finishPhase(const CheckpointState &state)
    {
        const auto &extra = state.extra;
        const double seconds = extra["train_seconds"].get<double>();
        m_summary = {{"valid", {{"metrics", extra.value("best_valid", nlohmann::json::object())}}},
                     {"best_epoch", extra["best_epoch"]},
                     {"epochs", state.epoch},
                     {"steps", m_trainer->steps()},
                     {"validation_users", m_data.validationUsers.size()},
                     {"samples", m_data.samples.size()},
                     {"train_seconds", seconds},
                     {"samples_per_s", seconds > 0 ? extra["train_examples"].get<double>() / seconds : 0.0},
                     {"tokens_per_s", seconds > 0 ? extra["train_tokens"].get<double>() / seconds : 0.0},
                     {"snapshot", m_plan.snapshot}};
        if (m_plan.test)
            test(state);
    }

    void test(const CheckpointState &state)
    {
        const std::filesystem::path best = m_folder / "best.ckpt";
        if (leader() && std::filesystem::exists(best)) {
            CheckpointLoadOptions options;
            options.restoreTorchRng = false;
            loadCheckpoint(best, *m_model, nullptr, options);
        }
        if (m_group) // the others need not see rank 0's folder
            broadcastTensors(*m_group, m_model->parameters(), 0);
        m_session.progress(1.0, "testing the best checkpoint");
        EvaluationRequest request = evaluationRequest(EvaluationSplit::Test, m_config.testBeams);
        request.checkpoint = best;
        const EvaluationResult result = evaluateAcrossRanks(m_group, *m_model, evaluationData(), request);
        recordMetrics(static_cast<int>(state.extra["best_epoch"].get<std::int64_t>()), "test", result.metrics);
        m_summary["test"] = {{"metrics", result.metrics.toJson()}, {"users", result.users.size()}};
        if (leader())
            m_summary["test"]["evaluation"] = storeEvaluation(m_db, request, result);
    }

    const Database &m_db;
    RunRecord m_run;
    RecommenderConfig m_config;
    RunSession &m_session;
    const TrainingControl &m_control;
    ProcessGroupContext *m_group = nullptr;
    std::unique_ptr<DataParallel> m_parallel;
    std::int64_t m_stepsAtPosition = 0; // the trainer's steps when state.position was last set
    RecommenderPhasePlan m_plan;
    int m_epochs;
    RunData m_data;
    PromptAssembler m_prompts;
    T5Config m_modelConfig;
    std::shared_ptr<T5Model> m_model;
    std::unique_ptr<Seq2SeqTrainer> m_trainer;
    std::filesystem::path m_folder;
    nlohmann::json m_summary;
    std::string m_stopMessage;
};


RecommenderPhase::RecommenderPhase(const Database &db, const RunRecord &run, const RecommenderConfig &config,
                                   RunSession &session, const TrainingControl &control, RecommenderPhasePlan plan)
    : m(std::make_unique<Impl>(db, run, config, session, control, std::move(plan)))
{
}

RecommenderPhase::~RecommenderPhase() = default;

RecommenderPhase::Outcome RecommenderPhase::run()
{
    return m->run();
}

const nlohmann::json &RecommenderPhase::summary() const
{
    return m->summary();
}

const std::string &RecommenderPhase::stopMessage() const
{
    return m->stopMessage();
}

} // namespace idgen
