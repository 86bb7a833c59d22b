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

// Diversity regulariser of one level: the level's codes are grouped (codeGroups [codes] int64,
// LETTER: 10 k-means groups of the codebook, redone every epoch); each item's chosen code vector
// [B, d] is pulled towards another code of its group, drawn uniformly, and pushed from the
// codes of other groups (softmax cross-entropy over chosen . codebook^T with its own code left
// out). Spreading the codebook into separated groups of close codes spreads the items over more
// codes. Items whose group holds only their own code take no part; 0 when none does.
at::Tensor diversityLoss(const at::Tensor &chosen, const at::Tensor &codes, const at::Tensor &codebook,
                         const at::Tensor &codeGroups);

// The collaborative embeddings brought to the code dimension: unchanged when the widths match,
// else projected on their leading principal components (LETTER trained a 32-d SASRec for its
// 32-d codes; our sasrec-ce baseline is 64-d by default), so the regulariser stays a fixed target.
at::Tensor collaborativeTargets(const at::Tensor &embeddings, std::int64_t codeDim);

} // namespace idgen
