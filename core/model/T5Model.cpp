#include "model/T5Model.h"

#include "model/T5Layers.h"
#include "util/Error.h"

#include <cmath>

namespace idgen {
namespace {

void requireIds(const at::Tensor &ids, const char *what)
{
    if (!ids.defined() || ids.dim() != 2)
        throw Error(std::string("T5: ") + what + " must be a [batch, length] tensor of token ids");
    if (ids.scalar_type() != at::kLong)
        throw Error(std::string("T5: ") + what + " must be int64");
}

void requireEmbeds(const at::Tensor &embeds, std::int64_t dModel, const char *what)
{
    if (!embeds.defined() || embeds.dim() != 3 || embeds.size(2) != dModel)
        throw Error(std::string("T5: ") + what + " must be [batch, length, " + std::to_string(dModel) + "]");
}

} // namespace

T5Model::T5Model(const T5Config &config)
    : m_config(config)
{
    m_config.validate();
    shared = register_module("shared", torch::nn::Embedding(config.vocabSize, config.dModel));
    encoder = register_module("encoder", std::make_shared<T5Stack>(config, false));
    decoder = register_module("decoder", std::make_shared<T5Stack>(config, true));
    if (!config.tieWordEmbeddings)
        lm_head = register_module(
            "lm_head", torch::nn::Linear(torch::nn::LinearOptions(config.dModel, config.vocabSize).bias(false)));
    resetParameters();
}

T5Model::~T5Model() = default;

void T5Model::resetParameters()
{
    {
        at::NoGradGuard noGrad;
        shared->weight.normal_(0.0, m_config.initializerFactor);
        if (!lm_head.is_empty())
            lm_head->weight.normal_(0.0, m_config.initializerFactor);
    }
    encoder->resetParameters(m_config);
    decoder->resetParameters(m_config);
}

at::Tensor T5Model::embedTokens(const at::Tensor &ids) const
{
    return at::embedding(shared->weight, ids);
}

at::Tensor T5Model::encode(const at::Tensor &inputIds, const at::Tensor &attentionMask)
{
    requireIds(inputIds, "input ids");
    return encodeEmbeds(embedTokens(inputIds), attentionMask);
}

at::Tensor T5Model::encodeEmbeds(const at::Tensor &inputsEmbeds, const at::Tensor &attentionMask)
{
    requireEmbeds(inputsEmbeds, m_config.dModel, "input embeddings");
    return encoder->forward(inputsEmbeds, attentionMask);
}

at::Tensor T5Model::decode(const at::Tensor &decoderInputIds, const at::Tensor &encoderHidden,
                           const at::Tensor &encoderMask, KvCache *cache)
{
    requireIds(decoderInputIds, "decoder input ids");
    return decodeEmbeds(embedTokens(decoderInputIds), encoderHidden, encoderMask, cache);
}

at::Tensor T5Model::decodeEmbeds(const at::Tensor &decoderInputsEmbeds, const at::Tensor &encoderHidden,
                                 const at::Tensor &encoderMask, KvCache *cache)
{
    return lmHead(decoderHidden(decoderInputsEmbeds, encoderHidden, encoderMask, cache));
}

at::Tensor T5Model::decoderHidden(const at::Tensor &decoderInputsEmbeds, const at::Tensor &encoderHidden,
                                  const at::Tensor &encoderMask, KvCache *cache)
{
    requireEmbeds(decoderInputsEmbeds, m_config.dModel, "decoder input embeddings");
    if (!(cache && !cache->empty()))
        requireEmbeds(encoderHidden, m_config.dModel, "encoder output");
    return decoder->forward(decoderInputsEmbeds, {}, encoderHidden, encoderMask, cache);
}

at::Tensor T5Model::lmHead(const at::Tensor &hidden) const
{
    if (lm_head.is_empty()) {
        // Tied head: HF rescales the decoder output by d_model^-0.5 before the shared projection
        // (Mesh TensorFlow's convention), so the embedding table serves both ends.
        return at::linear(hidden * std::pow(static_cast<double>(m_config.dModel), -0.5), shared->weight);
    }
    return at::linear(hidden, lm_head->weight);
}

T5Output T5Model::forward(const T5Batch &batch)
{
    T5Output out;
    out.encoderHidden = batch.inputIds.defined() ? encode(batch.inputIds, batch.attentionMask)
                                                 : encodeEmbeds(batch.inputsEmbeds, batch.attentionMask);
    at::Tensor decoderInput = batch.decoderInputIds;
    if (!decoderInput.defined()) {
        if (!batch.labels.defined())
            throw Error("T5: a batch needs decoder input ids or labels");
        decoderInput = shiftRight(batch.labels);
    }
    out.logits = decode(decoderInput, out.encoderHidden, batch.attentionMask);
    if (batch.labels.defined())
        out.loss = loss(out.logits, batch.labels);
    return out;
}

at::Tensor T5Model::shiftRight(const at::Tensor &labels) const
{
    requireIds(labels, "labels");
    at::Tensor shifted = at::full_like(labels, m_config.decoderStartTokenId);
    const std::int64_t length = labels.size(1);
    if (length > 1)
        shifted.slice(1, 1, length).copy_(labels.slice(1, 0, length - 1));
    return shifted.masked_fill_(shifted == kIgnoreIndex, m_config.padTokenId);
}

at::Tensor T5Model::labelsFromTargets(const at::Tensor &targetIds) const
{
    return targetIds.masked_fill(targetIds == m_config.padTokenId, kIgnoreIndex);
}

at::Tensor T5Model::loss(const at::Tensor &logits, const at::Tensor &labels)
{
    if (logits.dim() != 3 || labels.dim() != 2 || logits.size(0) != labels.size(0) || logits.size(1) != labels.size(1))
        throw Error("T5: logits [B, T, V] and labels [B, T] do not match");
    // float32 even under bf16 autocast: log-softmax over 32k classes loses too much in bf16.
    return at::cross_entropy_loss(logits.reshape({-1, logits.size(2)}).to(at::kFloat), labels.reshape({-1}), {},
                                  at::Reduction::Mean, kIgnoreIndex);
}

at::Tensor T5Model::sampleMeanLoss(const at::Tensor &logits, const at::Tensor &labels)
{
    if (logits.dim() != 3 || labels.dim() != 2 || logits.size(0) != labels.size(0) || logits.size(1) != labels.size(1))
        throw Error("T5: logits [B, T, V] and labels [B, T] do not match");
    const at::Tensor perToken =
        at::cross_entropy_loss(logits.reshape({-1, logits.size(2)}).to(at::kFloat), labels.reshape({-1}), {},
                               at::Reduction::None, kIgnoreIndex)
            .view(labels.sizes());
    const at::Tensor counts = (labels != kIgnoreIndex).sum(1).clamp_min(1).to(at::kFloat);
    return (perToken.sum(1) / counts).mean();
}

} // namespace idgen
