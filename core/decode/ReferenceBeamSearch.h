#pragma once

#include "decode/Hypotheses.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace idgen {

class T5Model;

// The published evaluation's decoding, rebuilt in C++ as the baseline of `idgenrec bench decode`
// and as a second opinion in tests: Hugging Face's generate() with num_beams and a
// prefix_allowed_tokens_fn over a nested-dictionary trie. One user per call; the encoder output
// copied once per beam; every step, every beam walks the dictionary trie from the root along its
// tokens to find what it may choose next, and the mask is filled beam by beam. Not for
// production use: BeamSearch gives the same results much faster.
class ReferenceBeamSearch {
public:
    ReferenceBeamSearch(T5Model &model, const std::vector<std::vector<std::int32_t>> &itemIds, int beams,
                        double lengthPenalty = 1.0);
    ~ReferenceBeamSearch();

    // inputIds [1, length]: one prompt. Best first, at most `beams`.
    std::vector<Hypothesis> run(const at::Tensor &inputIds);

private:
    struct Node {
        std::map<std::int32_t, std::unique_ptr<Node>> children;
        std::int32_t item = -1;
    };
    std::vector<std::int32_t> allowedAfter(const std::vector<std::int32_t> &prefix) const;
    std::int32_t itemOf(const std::vector<std::int32_t> &tokens) const;

    T5Model &m_model;
    Node m_root;
    int m_beams;
    double m_lengthPenalty;
    std::int32_t m_eos;
};

} // namespace idgen
