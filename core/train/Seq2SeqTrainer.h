#pragma once

#include "model/T5Model.h"
#include "model/Checkpoint.h"

#include <torch/optim/adamw.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace idgen {

class GradientAllReduce;

// How a batch's loss is averaged: over every target token of the batch (Hugging Face's T5 loss),
// or per sample first, then over the batch (each sample counts once, whatever its target length).
enum class LossAverage { Token, Sample };

struct Seq2SeqTrainerOptions {
    double learningRate = 1e-3;
    double weightDecay = 0.01;
    double warmupFraction = 0.05; // of totalSteps, linear from 0 to the peak, then linear decay to 0
    std::int64_t totalSteps = 0;  // 0: a constant learning rate (benchmarks)
    double clipNorm = 1.0;        // 0: no clipping
    bool bf16 = true;             // CUDA only: bf16 autocast
    LossAverage lossAverage = LossAverage::Token;
    // > 0: LETTER's ranking-guided generation loss, cross-entropy on logits / temperature (a
    // temperature below 1 sharpens the softmax, so hard negatives weigh more); 0: plain
    // cross-entropy (the same as a temperature of 1).
    double rankingTemperature = 0.0;
};

// The training loss on logits [B, T, V] and labels [B, T] (kIgnoreIndex where no loss is taken),
// averaged per token or per sample, on logits / rankingTemperature when that is above 0.
at::Tensor seq2SeqLoss(const at::Tensor &logits, const at::Tensor &labels, LossAverage average,
                       double rankingTemperature = 0.0);

// The one training loop step of the project (the ID generator's warm start, the recommender, the
// model benchmark): AdamW over a T5, the linear warm-up + decay schedule, gradient clipping,
// autocast, padding masked out of the loss, and checkpoints that carry the optimizer so a resumed
// run continues exactly. The epoch loop (data order, validation, when to save) is the caller's,
// as pytorch/examples keeps train() apart from the epoch loop.
class Seq2SeqTrainer {
public:
    Seq2SeqTrainer(T5Model &model, const Seq2SeqTrainerOptions &options);

    // One optimizer step on token rows (right-padded here); returns the batch loss. lossScale
    // multiplies the loss before backward: a data-parallel rank passes its share of the global
    // batch (samples, or target tokens for LossAverage::Token) so the summed gradient is the
    // global batch's. No rows: this rank has no share of the batch and only joins the all-reduce.
    double step(std::span<const std::vector<int>> sources, std::span<const std::vector<int>> targets,
                double lossScale = 1.0);
    // The same on a ready batch (labels with kIgnoreIndex where no loss is taken).
    double step(const T5Batch &batch, double lossScale = 1.0);
    // One optimizer step on a loss computed by the caller (under autocast), e.g. the ID phase's
    // loss through a frozen recommender: schedule, zero_grad, backward, all-reduce (data-parallel),
    // clip, step. An undefined loss: no backward (an empty share of a data-parallel batch).
    double stepOn(const std::function<at::Tensor()> &loss);
    // Data-parallel training: gradients are summed over the ranks after every backward pass.
    void setGradientAllReduce(GradientAllReduce *allReduce) { m_allReduce = allReduce; }

    std::int64_t steps() const { return m_steps; }
    double currentLearningRate() const;
    T5Model &model() { return m_model; }
    torch::optim::AdamW &optimizer() { return *m_optimizer; }

    // Checkpoint with this trainer's step count (state.step is overwritten).
    void save(const std::filesystem::path &path, CheckpointState state) const;
    // Restores model, optimizer, step count and torch's RNG from a checkpoint of this trainer.
    CheckpointState load(const std::filesystem::path &path);

private:
    void applySchedule();

    T5Model &m_model;
    Seq2SeqTrainerOptions m_options;
    std::unique_ptr<torch::optim::AdamW> m_optimizer;
    GradientAllReduce *m_allReduce = nullptr;
    std::int64_t m_steps = 0;
};

// Linear warm-up over warmupFraction of total steps (at least one), then linear decay to zero.
double scheduledLearningRate(double peak, std::int64_t step, std::int64_t total, double warmupFraction);

} // namespace idgen
