#include "train/IdPhase.h"

#include "data/Dataset.h"
#include "data/ItemText.h"
#include "ids/IdSnapshotRepository.h"
#include "model/Checkpoint.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "text/TokenizerRepository.h"
#include "train/PromptAssembler.h"
#include "train/RunSession.h"
#include "train/Seq2SeqTrainer.h"
#include "train/TrainingSamples.h"
#include "train/distributed/DataParallel.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <unordered_map>

namespace idgen {

class IdPhase::Impl {
public:
    Impl(const Database &db, const std::string &device, const AlternateConfig &config, RunSession &session,
         const TrainingControl &control, IdPhasePlan plan)
        : m_config(config)
        , m_session(session)
        , m_control(control)
        , m_plan(std::move(plan))
        , m_snapshot(IdSnapshotRepository(db).load(m_plan.snapshot))
        , m_dataset(DatasetRepository(db).load(m_snapshot.dataset))
        , m_tokenizer(TokenizerRepository(db).load(m_snapshot.dataset, m_snapshot.tokenizer))
        , m_prompts(m_tokenizer, m_snapshot, config.recommender.maxPromptTokens)
        , m_generator(loadModel(m_plan.generatorIn, rankDevice(device, control.group)))
        , m_recommender(loadModel(m_plan.recommender, rankDevice(device, control.group)))
        , m_parallel(control.group, m_generator.model->parameters())
    {
        std::filesystem::create_directories(m_plan.folder);
        const RecommenderConfig &rc = config.recommender;
        m_samples = trainingSamples(m_dataset, static_cast<std::size_t>(rc.maxHistory));
        for (const auto &fields : m_dataset.itemFields)
            m_sources.push_back(encodeSource(m_tokenizer, renderItemText(fields), config.maxSourceTokens));
        const int eos = m_tokenizer.specialIds().eos;
        for (const auto &tokens : m_snapshot.items.tokens) {
            m_targets.push_back(tokens);
            m_targets.back().push_back(eos);
        }
        // The recommender is frozen: no gradients, no dropout.
        for (auto &p : m_recommender.model->parameters())
            p.set_requires_grad(false);
        m_recommender.model->eval();
        Seq2SeqTrainerOptions options;
        options.learningRate = config.generatorLearningRate;
        options.weightDecay = rc.weightDecay;
        options.warmupFraction = rc.warmupFraction;
        options.totalSteps = plannedSteps();
        options.clipNorm = rc.clip;
        options.bf16 = rc.bf16;
        m_trainer = std::make_unique<Seq2SeqTrainer>(*m_generator.model, options);
        m_trainer->setGradientAllReduce(m_parallel.allReduce());
    }

    // Data-parallel (control.group of several ranks): each rank decodes soft IDs for and scores
    // its rows of every batch, the generator's gradients are summed over the ranks, rank 0 alone
    // writes checkpoints; a failed rank ends the phase on every rank with rank 0's generator-last.ckpt
    // at the last step they all finished.
    Outcome run()
    {
        CheckpointState state;
        try {
            return runSteps(state);
        } catch (const DistributedFailure &failure) {
            std::string message = std::string(failure.what()) + "; the data-parallel run stopped in the ID phase of round " +
                                  std::to_string(m_plan.round);
            if (m_parallel.leader()) {
                if (m_trainer->steps() > m_stepsAtPosition)
                    state.position += 1; // the step finished; only its loss exchange failed
                saveLast(state);
                message += " with generator-last.ckpt at step " + std::to_string(m_trainer->steps()) +
                           "; idgenrec resume continues it, with any number of processes";
            }
            throw RunInterrupted(message);
        }
    }

    std::filesystem::path generatorOut() const { return m_plan.folder / "generator.ckpt"; }
    double meanLoss() const { return m_meanLoss; }
    double samplesPerSecond() const { return m_seconds > 0.0 ? m_examples / m_seconds : 0.0; }

private:
    Outcome runSteps(CheckpointState &state)
    {
        const std::filesystem::path last = lastCheckpoint();
        state = m_generator.state;
        state.extra["loss_sum"] = 0.0;
        state.extra["loss_steps"] = 0;
        state.epoch = 0;
        state.position = 0;
        // A phase's dropout draws depend on the seed and the round alone, so a run resumed at any
        // phase boundary draws what an uninterrupted one draws.
        at::manual_seed(m_config.recommender.seed + 104729ULL * static_cast<std::uint64_t>(m_plan.round));
        if (std::filesystem::exists(last)) {
            state = m_trainer->load(last);
            m_session.log("resuming the ID phase of round " + std::to_string(m_plan.round) + " at epoch " +
                          std::to_string(state.epoch + 1) + ", batch " + std::to_string(state.position));
        }
        m_stepsAtPosition = m_trainer->steps();
        m_parallel.startFromLeader(parametersAndBuffers(*m_generator.model),
                                   m_config.recommender.seed + static_cast<std::uint64_t>(m_trainer->steps()));
        const std::int64_t total = plannedSteps();
        Stopwatch sinceCheckpoint;
        for (std::int64_t epoch = state.epoch; epoch < m_config.generatorEpochs && m_trainer->steps() < total; ++epoch) {
            const auto batches = epochPlan(epoch);
            for (auto b = static_cast<std::size_t>(state.position); b < batches.size() && m_trainer->steps() < total; ++b) {
                if (m_parallel.stopVote(m_session.waitWhilePausedOrStop(m_control.pause))) {
                    state.position = static_cast<std::int64_t>(b);
                    saveLast(state);
                    return Outcome::Stopped;
                }
                const Stopwatch watch;
                const double loss = trainBatch(batches[b]);
                m_seconds += watch.seconds();
                m_examples += static_cast<double>(batches[b].size());
                state.extra["loss_sum"] = state.extra["loss_sum"].get<double>() + loss;
                state.extra["loss_steps"] = state.extra["loss_steps"].get<std::int64_t>() + 1;
                m_session.metric(m_plan.round, static_cast<int>(epoch), m_trainer->steps(), "train", "id_loss", loss);
                state.position = static_cast<std::int64_t>(b + 1);
                m_stepsAtPosition = m_trainer->steps();
                m_session.progress(static_cast<double>(m_trainer->steps()) / static_cast<double>(total),
                                   "round " + std::to_string(m_plan.round) + ", ID phase");
                if (m_config.recommender.checkpointEveryMinutes > 0.0 &&
                    sinceCheckpoint.seconds() >= 60.0 * m_config.recommender.checkpointEveryMinutes) {
                    saveLast(state);
                    sinceCheckpoint.restart();
                }
            }
            const auto steps = state.extra["loss_steps"].get<std::int64_t>();
            m_meanLoss = steps > 0 ? state.extra["loss_sum"].get<double>() / static_cast<double>(steps) : 0.0;
            m_session.metric(m_plan.round, static_cast<int>(epoch), m_trainer->steps(), "train", "id_epoch_loss", m_meanLoss);
            m_session.log("round " + std::to_string(m_plan.round) + ", ID phase epoch " + std::to_string(epoch + 1) +
                          ": mean loss " + std::to_string(m_meanLoss));
            state.extra["loss_sum"] = 0.0;
            state.extra["loss_steps"] = 0;
            state.epoch = epoch + 1;
            state.position = 0;
            saveLast(state);
        }
        // The trained generator alone, as the textual scheme loads it (rank 0 writes it; the caller
        // synchronizes the ranks before anyone reads it).
        if (m_parallel.leader()) {
            CheckpointState out = m_generator.state;
            out.step = m_trainer->steps();
            saveCheckpoint(generatorOut(), *m_generator.model, nullptr, out);
        }
        return Outcome::Finished;
    }

    std::filesystem::path lastCheckpoint() const { return m_plan.folder / "generator-last.ckpt"; }

    void saveLast(const CheckpointState &state) const
    {
        if (m_parallel.leader())
            m_trainer->save(lastCheckpoint(), state);
    }

    // One optimizer step on the global batch: this rank's rows, their loss weighted by their share
    // of the batch (the loss is a mean over samples), so the ranks' gradients sum to the batch's.
    double trainBatch(const std::vector<TrainingExample> &batch)
    {
        const auto [begin, end] = m_parallel.rows(batch.size());
        const std::vector<TrainingExample> mine(batch.begin() + static_cast<std::ptrdiff_t>(begin),
                                                batch.begin() + static_cast<std::ptrdiff_t>(end));
        const double share = static_cast<double>(mine.size()) / static_cast<double>(batch.size());
        const double loss = m_trainer->stepOn([&] {
            if (mine.empty())
                return at::Tensor();
            const at::Tensor sampleMean = batchLoss(mine);
            return share == 1.0 ? sampleMean : sampleMean * share;
        });
        return m_parallel.sum({loss}, "the step's loss exchange").front();
    }

    // Whole epochs, or fewer steps where `steps_per_round` caps them (each round's epoch plan is
    // shuffled with the round, so capped rounds see different samples).
    std::int64_t plannedSteps() const
    {
        const std::int64_t epochs = static_cast<std::int64_t>(epochPlan(0).size()) * m_config.generatorEpochs;
        return m_config.generatorStepsPerRound > 0 ? std::min<std::int64_t>(epochs, m_config.generatorStepsPerRound)
                                                   : epochs;
    }

    std::vector<std::vector<TrainingExample>> epochPlan(std::int64_t epoch) const
    {
        return epochBatches(m_samples.size(), m_config.recommender.templatesPerSample, m_config.generatorBatch,
                            m_config.recommender.seed + 7919ULL * static_cast<std::uint64_t>(m_plan.round), epoch,
                            [](const TrainingExample &) { return std::size_t(0); });
    }

    at::Tensor batchLoss(const std::vector<TrainingExample> &batch)
    {
        // One batched greedy decode for the distinct history items of the batch.
        std::unordered_map<std::uint32_t, std::size_t> slot;
        std::vector<std::vector<int>> sources;
        for (const auto &e : batch)
            for (const std::uint32_t item : sampleHistory(m_dataset, m_samples[e.sample]))
                if (slot.emplace(item, sources.size()).second)
                    sources.push_back(m_sources[item]);
        T5Model &recommender = *m_recommender.model;
        const at::Tensor &table = recommender.embeddingTable();
        const SoftIds soft = generateSoftIds(*m_generator.model, table, sources, m_tokenizer.vocabSize(),
                                             m_config.maxIdSteps, m_config.mix);
        std::vector<std::vector<std::int64_t>> rows;
        std::vector<std::vector<int>> targets;
        for (const auto &e : batch) {
            const TrainingSample &s = m_samples[e.sample];
            rows.push_back(m_prompts.buildRows(e.templateIndex, s.user, sampleHistory(m_dataset, s), table.size(0),
                                               [&](std::uint32_t item) {
                                                   const std::size_t k = slot.at(item);
                                                   return std::pair<std::int64_t, std::int64_t>(soft.first[k],
                                                                                                soft.length[k]);
                                               }));
            targets.push_back(m_targets[s.target]);
        }
        const auto [embeds, mask] = spliceRows(table, soft.vectors, rows, recommender.config().padTokenId);
        const auto [targetIds, targetMask] = padTokens<int>(targets, recommender.config().padTokenId, recommender.device());
        T5Batch input;
        input.inputsEmbeds = embeds;
        input.attentionMask = mask;
        const at::Tensor labels = targetIds.masked_fill(targetMask == 0, T5Model::kIgnoreIndex);
        input.decoderInputIds = recommender.shiftRight(labels);
        return T5Model::sampleMeanLoss(recommender.forward(input).logits, labels);
    }

    const AlternateConfig &m_config;
    RunSession &m_session;
    const TrainingControl &m_control;
    IdPhasePlan m_plan;
    IdSnapshot m_snapshot;
    Dataset m_dataset;
    Tokenizer m_tokenizer;
    PromptAssembler m_prompts;
    LoadedModel m_generator;
    LoadedModel m_recommender;
    std::vector<TrainingSample> m_samples;
    std::vector<std::vector<int>> m_sources;
    std::vector<std::vector<int>> m_targets;
    DataParallel m_parallel;
    std::unique_ptr<Seq2SeqTrainer> m_trainer;
    std::int64_t m_stepsAtPosition = 0;
    double m_meanLoss = 0.0;
    double m_seconds = 0.0;
    double m_examples = 0.0;
};

IdPhase::IdPhase(const Database &db, const std::string &device, const AlternateConfig &config, RunSession &session,
                 const TrainingControl &control, IdPhasePlan plan)
    : m(std::make_unique<Impl>(db, device, config, session, control, std::move(plan)))
{
}

IdPhase::~IdPhase() = default;

IdPhase::Outcome IdPhase::run()
{
    return m->run();
}

std::filesystem::path IdPhase::generatorOut() const
{
    return m->generatorOut();
}

double IdPhase::meanLoss() const
{
    return m->meanLoss();
}

double IdPhase::samplesPerSecond() const
{
    return m->samplesPerSecond();
}

} // namespace idgen
