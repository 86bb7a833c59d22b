#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace idgen {

// LETTER's two regularisers of the RQ-VAE (Wang et al. 2024, "Learnable Item Tokenization for
// Generative Recommendation"; the formulas of the authors' RQ-VAE code).

// Collaborative regulariser: in-batch contrastive alignment of each item's quantised vector
// [B, d] with its collaborative embedding [B, d] (a trained SASRec's item embedding): softmax
// cross-entropy over the batch of quantised . collaborative^T, the item's own row the target.
// Items that SASRec finds alike are pulled to alike codes.
at::Tensor collaborativeLoss(const at::Tensor &quantised, const at::Tensor &collaborative);

// Diversity regulariser of one level (LETTER's grouping, its pull, squared distance): the level's
// codes are grouped (codeGroups [codes] int64; LETTER: 10 k-means groups of the codebook, redone
// every epoch); for each item, a code of its code's group other than its own, drawn uniformly, is
// pulled towards the vector the level quantises (residuals [B, d], taken as constants): mean
// squared distance. Codes beside a crowded code move into its items and take some of them, and
// codes no item chose still get a gradient, so usage spreads. Only the codebook learns from it.
// Items whose group holds only their own code take no part; 0 when none does.
//
// LETTER's own formula, a softmax cross-entropy over dot products of the item's chosen code with
// every other code (the groupmate the target), was this function first: on clustered toy sets and
// the demo dataset it LOWERED code usage (level-1 entropy 4.99 -> 4.84 bits at beta 1e-4 on demo,
// deeper levels collapsing to one code at larger weights), because dot products reward growing
// norms and its denominator pushes every other group's codes away from every item until they
// are chosen by none. Squared distance is also what assigns codes (nearest centre).
at::Tensor diversityLoss(const at::Tensor &residuals, const at::Tensor &codes, const at::Tensor &codebook,
                         const at::Tensor &codeGroups);

// The collaborative embeddings brought to the code dimension: unchanged when the widths match,
// else projected on their leading principal components (LETTER trained a 32-d SASRec for its
// 32-d codes; our sasrec-ce baseline is 64-d by default), so the regulariser stays a fixed target.
at::Tensor collaborativeTargets(const at::Tensor &embeddings, std::int64_t codeDim);

} // namespace idgen
