#include "ids/semantic/LetterRegularisers.h"

#include "util/Error.h"

#include <ATen/ATen.h>

namespace idgen {

at::Tensor collaborativeLoss(const at::Tensor &quantised, const at::Tensor &collaborative)
{
    const at::Tensor similarities = at::mm(quantised, collaborative.t());
    const at::Tensor targets = at::arange(quantised.size(0), at::TensorOptions().dtype(at::kLong));
    return at::cross_entropy_loss(similarities, targets);
}

at::Tensor diversityLoss(const at::Tensor &residuals, const at::Tensor &codes, const at::Tensor &codebook,
                         const at::Tensor &codeGroups)
{
    const std::int64_t size = codebook.size(0);
    const at::Tensor self = at::one_hot(codes, size).to(at::kBool);          // [B, K]
    const at::Tensor group = codeGroups.index_select(0, codes).unsqueeze(1); // [B, 1]
    const at::Tensor candidates = (codeGroups.unsqueeze(0) == group).logical_and(self.logical_not());
    const at::Tensor usable = candidates.any(1);
    if (!usable.any().item<bool>())
        return at::zeros({}, codebook.options());
    // A uniform draw among each row's candidates: the largest of uniform noise where allowed.
    const at::Tensor noise = at::rand({codes.size(0), size}).masked_fill(candidates.logical_not(), -1.0);
    const at::Tensor rows = usable.nonzero().squeeze(1);
    const at::Tensor positives = noise.argmax(1).index_select(0, rows);
    const at::Tensor anchors = residuals.detach().index_select(0, rows);
    return (anchors - codebook.index_select(0, positives)).pow(2).sum(1).mean();
}

at::Tensor collaborativeTargets(const at::Tensor &embeddings, std::int64_t codeDim)
{
    if (embeddings.dim() != 2)
        throw Error("collaborative embeddings must be a matrix [items, d]");
    const at::Tensor values = embeddings.detach().to(at::kFloat);
    if (values.size(1) == codeDim)
        return values;
    if (values.size(1) < codeDim)
        throw Error("collaborative embeddings of width " + std::to_string(values.size(1)) +
                    " are narrower than the " + std::to_string(codeDim) + "-d codes");
    const at::Tensor centred = values - values.mean(0, true);
    const auto [u, s, vh] = at::linalg_svd(centred.to(at::kDouble), false);
    at::Tensor components = vh.narrow(0, 0, codeDim).t().to(at::kFloat); // [d, codeDim]
    // Signs as LSA fixes them, so the projection does not depend on LAPACK's choice.
    const at::Tensor largest = components.abs().argmax(0, true);
    components = components * at::where(components.gather(0, largest) < 0, -1.0, 1.0).to(at::kFloat);
    return at::mm(centred, components).contiguous();
}

} // namespace idgen
