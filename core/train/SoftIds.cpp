#include "train/SoftIds.h"

#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "util/Error.h"

#include <algorithm>

namespace idgen {

SoftIds generateSoftIds(T5Model &generator, const at::Tensor &embeddingTable, std::span<const std::vector<int>> sources,
                        std::int64_t vocab, int maxSteps, SoftMix mix)
{
    if (maxSteps < 1)
        throw Error("soft IDs: at least one decoding step is needed");
    if (embeddingTable.size(0) < vocab || generator.config().vocabSize < vocab)
        throw Error("soft IDs: the generator and the recommender must both cover the tokenizer's vocabulary");
    const c10::Device device = generator.device();
    const auto &config = generator.config();
    const auto [ids, mask] = padTokens<int>(sources, config.padTokenId, device);
    const at::Tensor encoded = generator.encode(ids, mask);
    const auto count = static_cast<std::int64_t>(sources.size());
    at::Tensor decoderIds = at::full({count, 1}, config.decoderStartTokenId, at::TensorOptions(at::kLong).device(device));
    std::vector<at::Tensor> steps;
    std::vector<std::int64_t> length(sources.size(), -1);
    SoftIds out;
    out.tokens.resize(sources.size());
    for (int t = 0; t < maxSteps; ++t) {
        // Only the newest position's logits matter; the decoder is re-run over the short prefix.
        const at::Tensor hidden = generator.decoderHidden(generator.embedTokens(decoderIds), encoded, mask);
        const at::Tensor logits = generator.lmHead(hidden.select(1, -1)).slice(1, 0, vocab).to(at::kFloat);
        steps.push_back(mix == SoftMix::Softmax ? at::softmax(logits, 1) : at::log_softmax(logits, 1));
        const at::Tensor next = logits.argmax(1);
        const auto chosen = next.to(at::kCPU);
        const auto *token = chosen.data_ptr<std::int64_t>();
        bool allDone = true;
        for (std::int64_t n = 0; n < count; ++n) {
            const auto i = static_cast<std::size_t>(n);
            if (length[i] < 0 && token[n] == config.eosTokenId)
                length[i] = t;
            else if (length[i] < 0)
                out.tokens[i].push_back(static_cast<int>(token[n]));
            allDone = allDone && length[i] >= 0;
        }
        if (allDone)
            break;
        decoderIds = at::cat({decoderIds, next.unsqueeze(1)}, 1);
    }
    const auto taken = static_cast<std::int64_t>(steps.size());
    std::vector<std::int64_t> rows; // into the [steps * count] stack, step-major
    for (std::int64_t n = 0; n < count; ++n) {
        auto &l = length[static_cast<std::size_t>(n)];
        if (l < 0)
            l = taken; // never wrote eos: the cap ends the ID
        out.first.push_back(static_cast<std::int64_t>(rows.size()));
        out.length.push_back(l);
        for (std::int64_t t = 0; t < l; ++t)
            rows.push_back(t * count + n);
    }
    const at::Tensor stacked = at::stack(steps).view({taken * count, vocab});
    const at::Tensor index = at::tensor(rows, at::kLong).to(device);
    const at::Tensor table = embeddingTable.slice(0, 0, vocab).to(at::kFloat);
    out.vectors = rows.empty() ? at::zeros({0, table.size(1)}, table.options())
                               : at::matmul(stacked.index_select(0, index), table);
    return out;
}

std::pair<at::Tensor, at::Tensor> spliceRows(const at::Tensor &embeddingTable, const at::Tensor &softVectors,
                                             std::span<const std::vector<std::int64_t>> rows, std::int64_t padId)
{
    const auto [index, mask] = padTokens<std::int64_t>(rows, padId, embeddingTable.device());
    const at::Tensor combined = at::cat({embeddingTable.to(softVectors.scalar_type()), softVectors}, 0);
    const at::Tensor embeds = combined.index_select(0, index.reshape({-1})).view({index.size(0), index.size(1), -1});
    return {embeds, mask};
}

} // namespace idgen
