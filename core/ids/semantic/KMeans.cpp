#include "ids/semantic/KMeans.h"

#include "util/Error.h"

#include <ATen/ATen.h>

namespace idgen {

at::Tensor nearestCentres(const at::Tensor &points, const at::Tensor &centres)
{
    const at::Tensor distances = points.pow(2).sum(1, true) - 2.0 * at::mm(points, centres.t()) +
                                 centres.pow(2).sum(1).unsqueeze(0);
    return distances.argmin(1);
}

at::Tensor kmeans(const at::Tensor &input, std::int64_t clusters, int iterations)
{
    if (input.dim() != 2 || input.size(0) == 0)
        throw Error("k-means: points [N, D] with N > 0 were expected");
    if (clusters < 1)
        throw Error("k-means: at least one cluster is needed");
    const at::Tensor points = input.detach().to(at::kFloat);
    const std::int64_t n = points.size(0);
    // k-means++: each next centre is drawn with probability proportional to the squared distance
    // to the nearest centre so far (uniformly once every point is a centre).
    at::Tensor centres = at::empty({clusters, points.size(1)}, points.options());
    centres[0] = points[at::randint(n, {1}, at::kLong).item<std::int64_t>()];
    at::Tensor closest = (points - centres[0]).pow(2).sum(1);
    for (std::int64_t c = 1; c < clusters; ++c) {
        const at::Tensor weights = closest.sum().item<double>() > 0.0 ? closest : at::ones_like(closest);
        const std::int64_t pick = at::multinomial(weights, 1).item<std::int64_t>();
        centres[c] = points[pick];
        closest = at::minimum(closest, (points - centres[c]).pow(2).sum(1));
    }
    for (int i = 0; i < iterations; ++i) {
        const at::Tensor assignment = nearestCentres(points, centres);
        const at::Tensor sums = at::zeros_like(centres).index_add_(0, assignment, points);
        const at::Tensor counts = at::bincount(assignment, {}, clusters).to(at::kFloat).unsqueeze(1);
        const at::Tensor updated = at::where(counts > 0, sums / counts.clamp_min(1.0), centres);
        const bool moved = !at::equal(updated, centres);
        centres = updated;
        if (!moved)
            break;
    }
    return centres;
}

} // namespace idgen
