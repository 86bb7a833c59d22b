#include "decode/LogitsHooks.h"

#include <ATen/ATen.h>

#include <limits>

namespace idgen {
namespace {

constexpr double kNegativeInfinity = -std::numeric_limits<double>::infinity();

} // namespace

TrieConstraint::TrieConstraint(const PrefixTrie &trie, const c10::Device &device)
    : m_arrays(trie.toDevice(device))
{
}

std::pair<at::Tensor, at::Tensor> TrieConstraint::allowedPairs(const at::Tensor &nodes) const
{
    // Row r may take the tokens of child nodes begin[r] .. end[r] - 1. Expand those ranges into
    // one flat list of child node ids: repeat each row's start by its count, then add each
    // element's position within its row.
    const at::Tensor begin = m_arrays.childOffset.index_select(0, nodes);
    const at::Tensor counts = m_arrays.childOffset.index_select(0, nodes + 1) - begin;
    const at::Tensor rows = at::repeat_interleave(counts);
    const at::Tensor firstOfRow = at::cumsum(counts, 0) - counts;
    const at::Tensor position = at::arange(rows.size(0), rows.options()) - firstOfRow.index_select(0, rows);
    const at::Tensor childNodes = begin.index_select(0, rows) + position;
    return {rows, m_arrays.edgeToken.index_select(0, childNodes)};
}

void TrieConstraint::apply(at::Tensor &scores, const StepContext &context)
{
    const auto [rows, tokens] = allowedPairs(context.nodes);
    at::Tensor constrained = at::full_like(scores, kNegativeInfinity);
    constrained.index_put_({rows, tokens}, scores.index({rows, tokens}));
    scores = constrained;
}

void LengthLimits::apply(at::Tensor &scores, const StepContext &context)
{
    if (context.step < m_minLength) {
        scores.select(1, m_eosId).fill_(kNegativeInfinity);
    } else if (context.step >= m_maxLength) {
        const at::Tensor eos = scores.select(1, m_eosId).clone();
        scores.fill_(kNegativeInfinity);
        scores.select(1, m_eosId).copy_(eos);
    }
}

void VocabularyLimit::apply(at::Tensor &scores, const StepContext &)
{
    if (m_size < scores.size(1))
        scores.slice(1, m_size).fill_(kNegativeInfinity);
}

void ForcedPrefix::apply(at::Tensor &scores, const StepContext &context)
{
    if (context.step >= static_cast<std::int64_t>(m_tokens.size()))
        return;
    const std::int64_t token = m_tokens[static_cast<std::size_t>(context.step)];
    const at::Tensor kept = scores.select(1, token).clone();
    scores.fill_(kNegativeInfinity);
    scores.select(1, token).copy_(kept);
}

} // namespace idgen
