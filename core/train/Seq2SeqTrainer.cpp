#include "train/Seq2SeqTrainer.h"

#include "model/Autocast.h"
#include "model/TokenBatch.h"
#include "train/distributed/GradientAllReduce.h"
#include "util/Error.h"

#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <cmath>

namespace idgen {

double scheduledLearningRate(double peak, std::int64_t step, std::int64_t total, double warmupFraction)
{
    if (total <= 0)
        return peak;
    const auto warmup = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::llround(warmupFraction * static_cast<double>(total))));
    if (step < warmup)
        return peak * static_cast<double>(step + 1) / static_cast<double>(warmup);
    return peak * std::max(0.0, static_cast<double>(total - step) /
                                    static_cast<double>(std::max<std::int64_t>(1, total - warmup)));
}

at::Tensor seq2SeqLoss(const at::Tensor &logits, const at::Tensor &labels, LossAverage average,
                       double rankingTemperature)
{
    const at::Tensor scaled = rankingTemperature > 0.0 ? logits / rankingTemperature : logits;
    return average == LossAverage::Sample ? T5Model::sampleMeanLoss(scaled, labels) : T5Model::loss(scaled, labels);
}

Seq2SeqTrainer::Seq2SeqTrainer(T5Model &model, const Seq2SeqTrainerOptions &options)
    : m_model(model)
    , m_options(options)
    , m_optimizer(std::make_unique<torch::optim::AdamW>(
          model.parameters(), torch::optim::AdamWOptions(options.learningRate).weight_decay(options.weightDecay)))
{
    if (!(options.learningRate > 0.0))
        throw Error("training: the learning rate must be positive");
    if (options.warmupFraction < 0.0 || options.warmupFraction >= 1.0)
        throw Error("training: the warm-up fraction must be in [0, 1)");
    if (options.rankingTemperature < 0.0)
        throw Error("training: the ranking loss temperature must be positive (0: off)");
}

double Seq2SeqTrainer::currentLearningRate() const
{
    return scheduledLearningRate(m_options.learningRate, m_steps, m_options.totalSteps, m_options.warmupFraction);
}

void Seq2SeqTrainer::applySchedule()
{
    const double rate = currentLearningRate();
    for (auto &group : m_optimizer->param_groups())
        static_cast<torch::optim::AdamWOptions &>(group.options()).lr(rate);
}

double Seq2SeqTrainer::step(std::span<const std::vector<int>> sources, std::span<const std::vector<int>> targets,
                            double lossScale)
{
    if (sources.empty())
        return stepOn([] { return at::Tensor(); });
    const c10::Device device = m_model.device();
    const std::int64_t pad = m_model.config().padTokenId;
    const auto [ids, mask] = padTokens<int>(sources, pad, device);
    const auto [targetIds, targetMask] = padTokens<int>(targets, pad, device);
    T5Batch batch;
    batch.inputIds = ids;
    batch.attentionMask = mask;
    batch.labels = targetIds.masked_fill(targetMask == 0, T5Model::kIgnoreIndex);
    return step(batch, lossScale);
}

double Seq2SeqTrainer::step(const T5Batch &input, double lossScale)
{
    return stepOn([&] {
        T5Batch batch = input;
        const at::Tensor labels = batch.labels;
        if (!batch.decoderInputIds.defined())
            batch.decoderInputIds = m_model.shiftRight(labels);
        batch.labels = at::Tensor(); // the loss is taken here, with the chosen averaging
        const at::Tensor logits = m_model.forward(batch).logits;
        const at::Tensor loss = seq2SeqLoss(logits, labels, m_options.lossAverage, m_options.rankingTemperature);
        return lossScale == 1.0 ? loss : loss * lossScale;
    });
}

double Seq2SeqTrainer::stepOn(const std::function<at::Tensor()> &lossOf)
{
    applySchedule();
    m_model.train();
    m_optimizer->zero_grad();
    at::Tensor loss;
    {
        const AutocastScope autocast(m_model.device(), m_options.bf16);
        loss = lossOf();
    }
    if (loss.defined())
        loss.backward();
    if (m_allReduce)
        m_allReduce->reduce();
    if (m_options.clipNorm > 0.0)
        torch::nn::utils::clip_grad_norm_(m_model.parameters(), m_options.clipNorm);
    m_optimizer->step();
    ++m_steps;
    return loss.defined() ? loss.item<double>() : 0.0;
}

void Seq2SeqTrainer::save(const std::filesystem::path &path, CheckpointState state) const
{
    state.step = m_steps;
    saveCheckpoint(path, m_model, m_optimizer.get(), state);
}

CheckpointState Seq2SeqTrainer::load(const std::filesystem::path &path)
{
    CheckpointState state = loadCheckpoint(path, m_model, m_optimizer.get());
    m_steps = state.step;
    return state;
}

} // namespace idgen
