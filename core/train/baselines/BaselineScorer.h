#pragma once

#include "data/Split.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstddef>
#include <span>
#include <string>

namespace idgen {

// A recommender reduced to what full-ranking evaluation needs: for each history of a batch, one
// score per item of the catalog (higher ranks first). Only the histories are read; the targets
// stay with the caller, so a scorer cannot peek at them.
class BaselineScorer {
public:
    virtual ~BaselineScorer() = default;

    // [samples, items] float32 on device(); column i scores item index i. Seen items are scored
    // like any other (method.md section 3: no filtering).
    virtual at::Tensor score(std::span<const SplitSample> samples) = 0;
    virtual std::size_t itemCount() const = 0;
    virtual c10::Device device() const = 0;
};

} // namespace idgen
