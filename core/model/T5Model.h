#pragma once

#include "model/KvCache.h"
#include "model/T5Config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

#include <memory>

namespace idgen {

class T5Stack;

// One training or scoring batch. Give inputIds or inputsEmbeds (the ID generator splices soft
// embeddings into the recommender's prompt). Tensors may live on any device the model is on.
struct T5Batch {
    at::Tensor inputIds;        // [B, L] int64
    at::Tensor inputsEmbeds;    // [B, L, d_model], used when inputIds is undefined
    at::Tensor attentionMask;   // [B, L] 0/1, 0 = padding; undefined = no padding
    at::Tensor decoderInputIds; // [B, T] int64; undefined = shiftRight(labels)
    at::Tensor labels;          // [B, T] int64, kIgnoreIndex where no loss is taken; may be undefined
};

struct T5Output {
    at::Tensor logits;        // [B, T, vocab]
    at::Tensor loss;          // scalar mean over the non-ignored labels (float32); undefined without labels
    at::Tensor encoderHidden; // [B, L, d_model], for reuse
};

// The T5 encoder-decoder (Raffel et al. 2020) as Hugging Face's T5ForConditionalGeneration:
// named_parameters() gives exactly HF's keys (shared.weight, encoder.block.0.layer.0.SelfAttention.q.weight,
// ..., lm_head.weight only when the head is untied), and the arithmetic follows HF's so that a
// pretrained checkpoint gives the same logits. Move it with ->to(device); bf16 runs through
// AutocastScope (Autocast.h) on CUDA. torch::manual_seed before construction fixes the weights.
class T5Model : public torch::nn::Module {
public:
    static constexpr std::int64_t kIgnoreIndex = -100;

    explicit T5Model(const T5Config &config);
    ~T5Model() override;

    const T5Config &config() const { return m_config; }
    // Where the weights are (after ->to(device)); inputs must be there too.
    c10::Device device() const { return shared->weight.device(); }

    // The shared token embedding [vocab, d_model] (input embeddings of encoder and decoder, and the
    // tied output projection). Multiply a distribution over the vocabulary by it to get a soft embedding.
    const at::Tensor &embeddingTable() const { return shared->weight; }
    at::Tensor embedTokens(const at::Tensor &ids) const;

    // Encoder output [B, L, d_model]. attentionMask [B, L] of 0/1 (undefined: no padding).
    at::Tensor encode(const at::Tensor &inputIds, const at::Tensor &attentionMask = {});
    at::Tensor encodeEmbeds(const at::Tensor &inputsEmbeds, const at::Tensor &attentionMask = {});

    // Decoder logits [B, T, vocab] for decoderInputIds [B, T]. With a cache, the ids are the next
    // T tokens after the ones already cached (T = 1 for a beam-search step); the cross-attention
    // keys/values are computed from encoderHidden once, on the first call, and reused afterwards.
    at::Tensor decode(const at::Tensor &decoderInputIds, const at::Tensor &encoderHidden,
                      const at::Tensor &encoderMask = {}, KvCache *cache = nullptr);
    at::Tensor decodeEmbeds(const at::Tensor &decoderInputsEmbeds, const at::Tensor &encoderHidden,
                            const at::Tensor &encoderMask = {}, KvCache *cache = nullptr);
    // The decoder's last hidden states [B, T, d_model] and the LM head applied to them.
    at::Tensor decoderHidden(const at::Tensor &decoderInputsEmbeds, const at::Tensor &encoderHidden,
                             const at::Tensor &encoderMask = {}, KvCache *cache = nullptr);
    at::Tensor lmHead(const at::Tensor &decoderHidden) const;

    // Encode + decode (+ loss when labels are given). Without decoderInputIds, labels shifted right.
    T5Output forward(const T5Batch &batch);

    // Beam search: keep row beamIndices[b] of every cached key/value as row b.
    static void reorderCache(KvCache &cache, const at::Tensor &beamIndices) { cache.reorder(beamIndices); }

    // HF's _shift_right: decoder inputs = [decoder_start, labels[:-1]], ignored labels become pad.
    at::Tensor shiftRight(const at::Tensor &labels) const;
    // Target ids -> labels: pad positions become kIgnoreIndex (so padding takes no loss).
    at::Tensor labelsFromTargets(const at::Tensor &targetIds) const;
    // Token-mean cross entropy in float32 over labels != kIgnoreIndex.
    static at::Tensor loss(const at::Tensor &logits, const at::Tensor &labels);
    // Cross entropy averaged over each row's non-ignored labels, then over the rows: every sample
    // counts the same whatever the length of its target (float32).
    static at::Tensor sampleMeanLoss(const at::Tensor &logits, const at::Tensor &labels);

    // Re-draws every weight as HF's T5PreTrainedModel._init_weights does.
    void resetParameters();

    torch::nn::Embedding shared{nullptr};
    std::shared_ptr<T5Stack> encoder;
    std::shared_ptr<T5Stack> decoder;
    torch::nn::Linear lm_head{nullptr}; // empty when tied

private:
    T5Config m_config;
};

} // namespace idgen
