#include "decode/ReferenceBeamSearch.h"

#include "decode/EvalScope.h"
#include "model/KvCache.h"
#include "model/T5Model.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <cmath>
#include <limits>

namespace idgen {

ReferenceBeamSearch::ReferenceBeamSearch(T5Model &model, const std::vector<std::vector<std::int32_t>> &itemIds,
                                         int beams, double lengthPenalty)
    : m_model(model)
    , m_beams(beams)
    , m_lengthPenalty(lengthPenalty)
    , m_eos(static_cast<std::int32_t>(model.config().eosTokenId))
{
    if (beams < 1)
        throw Error("reference beam search: beams must be at least 1");
    for (std::size_t i = 0; i < itemIds.size(); ++i) {
        Node *node = &m_root;
        for (const std::int32_t token : itemIds[i]) {
            auto &next = node->children[token];
            if (!next)
                next = std::make_unique<Node>();
            node = next.get();
        }
        auto &leaf = node->children[m_eos];
        if (!leaf)
            leaf = std::make_unique<Node>();
        leaf->item = static_cast<std::int32_t>(i);
    }
}

ReferenceBeamSearch::~ReferenceBeamSearch() = default;

std::vector<std::int32_t> ReferenceBeamSearch::allowedAfter(const std::vector<std::int32_t> &prefix) const
{
    // As the published prefix_allowed_tokens_fn: from the root, every time.
    const Node *node = &m_root;
    for (const std::int32_t token : prefix) {
        const auto found = node->children.find(token);
        if (found == node->children.end())
            return {};
        node = found->second.get();
    }
    std::vector<std::int32_t> allowed;
    allowed.reserve(node->children.size());
    for (const auto &[token, child] : node->children)
        allowed.push_back(token);
    return allowed;
}

std::int32_t ReferenceBeamSearch::itemOf(const std::vector<std::int32_t> &tokens) const
{
    const Node *node = &m_root;
    for (const std::int32_t token : tokens)
        node = node->children.at(token).get();
    return node->children.at(m_eos)->item;
}

std::vector<Hypothesis> ReferenceBeamSearch::run(const at::Tensor &inputIds)
{
    at::NoGradGuard noGrad;
    const EvalScope eval(m_model);
    const auto device = m_model.device();
    const auto longs = at::TensorOptions().dtype(at::kLong).device(device);
    const std::int64_t beams = m_beams;
    const double negativeInfinity = -std::numeric_limits<double>::infinity();

    // HF expands the encoder output to one copy per beam; only beam 0 starts alive.
    const at::Tensor encoderHidden = m_model.encode(inputIds.to(device)).repeat_interleave(beams, 0);
    std::vector<std::vector<std::int32_t>> prefixes(static_cast<std::size_t>(beams));
    std::vector<double> beamScores(static_cast<std::size_t>(beams), -1e9);
    beamScores[0] = 0.0;
    FinishedHypotheses finished(static_cast<std::size_t>(beams));
    KvCache cache;
    at::Tensor input = at::full({beams, 1}, m_model.config().decoderStartTokenId, longs);
    for (std::int64_t step = 0;; ++step) {
        const at::Tensor logits = m_model.decode(input, step == 0 ? encoderHidden : at::Tensor(), {}, &cache);
        const at::Tensor logProbs = at::log_softmax(logits.select(1, 0).to(at::kFloat), -1);
        at::Tensor mask = at::full_like(logProbs, negativeInfinity);
        for (std::int64_t b = 0; b < beams; ++b) {
            const auto allowed = allowedAfter(prefixes[static_cast<std::size_t>(b)]);
            if (!allowed.empty())
                mask[b].index_fill_(0, at::tensor(std::vector<std::int64_t>(allowed.begin(), allowed.end()), longs),
                                    0.0);
        }
        const at::Tensor scores =
            logProbs + mask + at::tensor(beamScores, at::kDouble).to(device, at::kFloat).unsqueeze(1);
        const std::int64_t vocab = scores.size(1);
        const auto [values, indices] = scores.view({1, -1}).topk(2 * beams, 1);
        const at::Tensor valuesCpu = values.to(at::kCPU, at::kDouble).contiguous();
        const at::Tensor indicesCpu = indices.to(at::kCPU).contiguous();
        const double *v = valuesCpu.data_ptr<double>();
        const std::int64_t *ix = indicesCpu.data_ptr<std::int64_t>();

        std::vector<std::vector<std::int32_t>> nextPrefixes;
        std::vector<double> nextScores;
        std::vector<std::int64_t> parents;
        std::vector<std::int64_t> tokens;
        for (std::int64_t rank = 0; rank < 2 * beams && static_cast<std::int64_t>(parents.size()) < beams; ++rank) {
            if (!std::isfinite(v[rank]) || v[rank] < -1e8)
                break;
            const std::int64_t parent = ix[rank] / vocab;
            const auto token = static_cast<std::int32_t>(ix[rank] % vocab);
            const auto &prefix = prefixes[static_cast<std::size_t>(parent)];
            if (token == m_eos) {
                if (rank < beams)
                    finished.add({prefix, v[rank], normalisedScore(v[rank], prefix.size() + 1, m_lengthPenalty),
                                  itemOf(prefix), 0});
                continue;
            }
            nextPrefixes.push_back(prefix);
            nextPrefixes.back().push_back(token);
            nextScores.push_back(v[rank]);
            parents.push_back(parent);
            tokens.push_back(token);
        }
        if (parents.empty() ||
            finished.isDone(*std::max_element(nextScores.begin(), nextScores.end()), static_cast<std::size_t>(step + 1),
                            m_lengthPenalty))
            break;
        while (static_cast<std::int64_t>(parents.size()) < beams) { // fewer continuations than beams
            nextPrefixes.push_back(nextPrefixes.front());
            nextScores.push_back(negativeInfinity);
            parents.push_back(parents.front());
            tokens.push_back(tokens.front());
        }
        prefixes = std::move(nextPrefixes);
        beamScores = std::move(nextScores);
        cache.reorder(at::tensor(parents, at::kLong).to(device));
        input = at::tensor(tokens, at::kLong).to(device).view({-1, 1});
    }
    return bestHypotheses(finished.take(), static_cast<std::size_t>(beams));
}

} // namespace idgen
