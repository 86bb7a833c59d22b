#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace idgen {

// Index of the nearest centre (squared Euclidean distance) of every point: [N] int64 for points
// [N, D] and centres [K, D]. One matrix product, so it is batched work.
at::Tensor nearestCentres(const at::Tensor &points, const at::Tensor &centres);

// Lloyd's k-means with k-means++ seeding on the global torch generator (at::manual_seed fixes it),
// as the RQ-VAE's codebook initialisation (TIGER, LETTER) and LETTER's grouping of codes need.
// Returns the centres [clusters, D]. With fewer distinct points than clusters the extra centres
// are copies of points: a codebook may then hold duplicates, which training separates or leaves
// unused. A centre that loses all its points stays where it was.
at::Tensor kmeans(const at::Tensor &points, std::int64_t clusters, int iterations);

} // namespace idgen
