#pragma once

#include "decode/PrefixTrie.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace idgen {

// What a logits hook sees at one decoding step.
struct StepContext {
    std::int64_t step = 0; // tokens generated so far (0 at the first step)
    at::Tensor nodes;      // [rows] int64 trie node of each row, on the scores' device (trie searches)
    // [rows] int64 the caller's source (user, item) of each row, on the scores' device: rows are
    // not source * beams + slot, since sources whose search is over leave the batch. Filled only
    // for hooks added with BeamSearch::addHook.
    at::Tensor sources;
};

// Changes a step's scores [rows, vocab] (log-probabilities) in place, e.g. to -inf for tokens a
// row may not choose. Greedy, beam and diverse beam search run the same hooks.
class LogitsHook {
public:
    virtual ~LogitsHook() = default;
    virtual void apply(at::Tensor &scores, const StepContext &context) = 0;
};

// Only tokens that continue a valid item ID: everything but each row's slice of the trie's
// children becomes -inf. Built on the device from the trie's flat arrays, with no per-row loop.
class TrieConstraint : public LogitsHook {
public:
    TrieConstraint(const PrefixTrie &trie, const c10::Device &device);
    void apply(at::Tensor &scores, const StepContext &context) override;
    // [n] row and [n] token of every allowed (row, token) pair for these nodes.
    std::pair<at::Tensor, at::Tensor> allowedPairs(const at::Tensor &nodes) const;

private:
    PrefixTrie::DeviceArrays m_arrays;
};

// eos is forbidden before minLength tokens and forced after maxLength (eos not counted). A
// search whose beams end at maxLength without eos (Hugging Face's way) stops before the forcing
// step and never reaches it.
class LengthLimits : public LogitsHook {
public:
    LengthLimits(std::int64_t minLength, std::int64_t maxLength, std::int64_t eosId)
        : m_minLength(minLength), m_maxLength(maxLength), m_eosId(eosId)
    {
    }
    void apply(at::Tensor &scores, const StepContext &context) override;

private:
    std::int64_t m_minLength;
    std::int64_t m_maxLength;
    std::int64_t m_eosId;
};

// Only ids below `size`: a model whose embedding table is larger than its tokenizer (pretrained
// T5 pads 32,000 pieces to 32,128) could otherwise write ids the tokenizer cannot decode.
class VocabularyLimit : public LogitsHook {
public:
    explicit VocabularyLimit(std::int64_t size) : m_size(size) {}
    void apply(at::Tensor &scores, const StepContext &context) override;

private:
    std::int64_t m_size;
};

// The first tokens are given: at step s < prefix length every token but prefix[s] becomes -inf
// (one tensor operation), so the search continues from that prefix (the beam inspector's "force
// a prefix"). Rows whose constraint already removed prefix[s] end there.
class ForcedPrefix : public LogitsHook {
public:
    explicit ForcedPrefix(std::vector<std::int32_t> tokens) : m_tokens(std::move(tokens)) {}
    void apply(at::Tensor &scores, const StepContext &context) override;

private:
    std::vector<std::int32_t> m_tokens;
};

} // namespace idgen
