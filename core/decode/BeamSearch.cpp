#include "decode/BeamSearch.h"

#include "decode/EvalScope.h"
#include "model/KvCache.h"
#include "model/T5Model.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace idgen {

std::int64_t defaultSourcesPerCall(const c10::Device &device)
{
    return device.is_cuda() ? 256 : 32;
}

namespace {

constexpr double kDead = -std::numeric_limits<double>::infinity();

} // namespace

void BeamSearchOptions::validate() const
{
    if (beams < 1)
        throw Error("beam search: beams must be at least 1 (got " + std::to_string(beams) + ")");
    if (groups < 1 || beams % groups != 0)
        throw Error("beam search: beams (" + std::to_string(beams) + ") must be a multiple of groups (" +
                    std::to_string(groups) + ")");
    if (returnCount < 0 || returnCount > beams)
        throw Error("beam search: cannot return " + std::to_string(returnCount) + " hypotheses from " +
                    std::to_string(beams) + " beams");
    if (diversityPenalty < 0.0)
        throw Error("beam search: the diversity penalty must not be negative");
    if (minLength < 0 || maxLength < minLength)
        throw Error("beam search: need 0 <= minLength <= maxLength (got " + std::to_string(minLength) + ", " +
                    std::to_string(maxLength) + ")");
    if (atMaxLength == AtMaxLength::End && maxLength < 1)
        throw Error("beam search: beams that end at maxLength need maxLength >= 1");
    if (traceAlternatives < 0)
        throw Error("beam search: traceAlternatives must not be negative");
}

// The state of one search: every live beam's tokens, cumulative log-probability and trie node on
// the CPU (small), the decoder's cache and the step's tensors on the device. Sources whose search
// is over leave the batch (rows, cache, encoder mask), so the steps that only the longest IDs
// need run on the sources still searching; "position" indexes the sources still in the batch,
// m_active maps it to the caller's source index.
class BeamSearch::Run {
public:
    Run(BeamSearch &owner, const at::Tensor &encoderHidden, const at::Tensor &encoderMask)
        : m_owner(owner)
        , m_options(owner.m_options)
        , m_sources(encoderHidden.size(0))
        , m_beams(owner.m_options.beams)
        , m_perGroup(owner.m_options.beams / owner.m_options.groups)
        , m_eos(static_cast<std::int32_t>(owner.m_model.config().eosTokenId))
        , m_encoderHidden(encoderHidden)
        , m_encoderMask(encoderMask)
        , m_results(static_cast<std::size_t>(m_sources))
    {
        m_active.resize(static_cast<std::size_t>(m_sources));
        for (std::int64_t s = 0; s < m_sources; ++s)
            m_active[static_cast<std::size_t>(s)] = s;
        const auto groups = static_cast<std::size_t>(m_options.groups);
        for (std::int64_t s = 0; s < m_sources; ++s)
            for (std::size_t g = 0; g < groups; ++g)
                m_finished.emplace_back(static_cast<std::size_t>(m_perGroup));
        m_done.assign(m_finished.size(), false);
        // Before the first step each source has one (empty) beam in row s.
        m_rows.resize(static_cast<std::size_t>(m_sources));
        for (auto &row : m_rows)
            row.logProb = 0.0;
        const auto device = encoderHidden.device();
        if (owner.m_trie)
            m_hooks.push_back(std::make_shared<TrieConstraint>(*owner.m_trie, device));
        std::int64_t maxLength = m_options.maxLength;
        if (owner.m_trie)
            maxLength = std::min<std::int64_t>(maxLength, static_cast<std::int64_t>(owner.m_trie->stats().maxDepth));
        // End: the last step writes token maxLength and the beams still open end there, as
        // Hugging Face's max_length stops them; ForceEos: one more step that may only write eos.
        m_endAtMax = m_options.atMaxLength == BeamSearchOptions::AtMaxLength::End;
        m_maxSteps = m_endAtMax ? std::max<std::int64_t>(maxLength, 1) : maxLength + 1;
        m_hooks.push_back(std::make_shared<LengthLimits>(
            m_options.minLength, m_endAtMax ? std::numeric_limits<std::int64_t>::max() : maxLength, m_eos));
        m_hooks.insert(m_hooks.end(), owner.m_hooks.begin(), owner.m_hooks.end());
    }

    std::vector<SearchResult> run()
    {
        const auto device = m_encoderHidden.device();
        const auto longs = at::TensorOptions().dtype(at::kLong).device(device);
        at::Tensor input = at::full({m_sources, 1}, m_owner.m_model.config().decoderStartTokenId, longs);
        for (std::int64_t step = 0; step < m_maxSteps; ++step) {
            const at::Tensor logits =
                m_owner.m_model.decode(input, step == 0 ? m_encoderHidden : at::Tensor(), m_encoderMask, &m_cache);
            const at::Tensor logProbs = at::log_softmax(logits.select(1, 0).to(at::kFloat), -1);
            at::Tensor scores = m_options.trace ? logProbs.clone() : logProbs;
            for (std::int64_t p = 0; p < m_sources; ++p)
                ++resultOf(p).steps;
            const StepContext context{step, nodesTensor(device),
                                      m_owner.m_hooks.empty() ? at::Tensor() : sourcesTensor(step, device)};
            for (const auto &hook : m_hooks)
                hook->apply(scores, context);
            if (m_options.trace)
                tracePruned(step, logProbs, scores);
            selectBeams(step, scores);
            if (m_endAtMax && step + 1 == m_maxSteps)
                endOpenBeams();
            if (std::all_of(m_done.begin(), m_done.end(), [](bool d) { return d; }))
                break;
            advance(step, input);
        }
        return finish();
    }

private:
    struct Row {
        std::vector<std::int32_t> tokens;
        double logProb = kDead;
        std::int32_t node = 0;
        bool live() const { return std::isfinite(logProb); }
    };
    struct Choice {
        std::int64_t parentRow = 0;
        std::int32_t token = 0;
        double logProb = kDead;
    };

    std::size_t groupIndex(std::int64_t position, int group) const
    {
        return static_cast<std::size_t>(m_active[static_cast<std::size_t>(position)] * m_options.groups + group);
    }
    SearchResult &resultOf(std::int64_t position)
    {
        return m_results[static_cast<std::size_t>(m_active[static_cast<std::size_t>(position)])];
    }
    std::int64_t rowOf(std::int64_t source, std::int64_t slot) const { return source * m_beams + slot; }

    at::Tensor nodesTensor(const c10::Device &device) const
    {
        if (!m_owner.m_trie)
            return {};
        std::vector<std::int64_t> nodes(m_rows.size());
        for (std::size_t r = 0; r < m_rows.size(); ++r)
            nodes[r] = m_rows[r].node;
        return at::tensor(nodes, at::kLong).to(device);
    }

    // Picks each group's next beams from the step's scores [rows, vocab], as Hugging Face's
    // (group) beam search does: per group, the Hamming penalty for the tokens earlier groups chose
    // at this step, then the best 2 * beams-per-group continuations; one ending in eos becomes a
    // finished hypothesis when it ranks among the first beams-per-group, the others fill the
    // beams in order.
    void selectBeams(std::int64_t step, const at::Tensor &scores)
    {
        const std::int64_t vocab = scores.size(1);
        const std::int64_t parents = step == 0 ? 1 : m_beams;
        const at::Tensor beamScores =
            at::tensor(rowLogProbs(), at::kDouble).to(scores.device(), at::kFloat).view({m_sources, parents, 1});
        const at::Tensor rowScores = scores.reshape({m_sources, parents, vocab});
        m_next.assign(static_cast<std::size_t>(m_sources * m_beams), Choice{});
        m_bestCandidate.assign(m_done.size(), kDead);
        const bool diverse = m_options.groups > 1 && m_options.diversityPenalty > 0.0;
        const bool keepPenalty = m_options.diverseScores == BeamSearchOptions::DiverseScores::HuggingFace;
        at::Tensor counts; // Hamming diversity: uses of each token by earlier groups at this step
        std::vector<std::map<std::int32_t, int>> countsCpu;
        if (diverse) {
            counts = at::zeros({m_sources, 1, vocab}, scores.options());
            countsCpu.resize(static_cast<std::size_t>(m_sources));
        }
        const auto pad = static_cast<std::int32_t>(m_owner.m_model.config().padTokenId);
        for (int group = 0; group < m_options.groups; ++group) {
            const std::int64_t first = step == 0 ? 0 : group * m_perGroup;
            const std::int64_t width = step == 0 ? 1 : m_perGroup;
            at::Tensor candidates = rowScores.slice(1, first, first + width);
            // As Hugging Face: penalise the step's log-probabilities, then add the beam's score.
            if (diverse)
                candidates = candidates - m_options.diversityPenalty * counts;
            candidates = candidates + beamScores.slice(1, first, first + width);
            const std::int64_t flat = width * vocab;
            const auto [values, indices] =
                candidates.reshape({m_sources, flat}).topk(std::min<std::int64_t>(2 * m_perGroup, flat), 1);
            const at::Tensor valuesCpu = values.to(at::kCPU, at::kDouble).contiguous();
            const at::Tensor indicesCpu = indices.to(at::kCPU).contiguous();
            // This group's tokens count for the later groups only (not for its own other beams).
            std::vector<std::int64_t> countRows;
            std::vector<std::int64_t> countTokens;
            for (std::int64_t s = 0; s < m_sources; ++s) {
                if (m_done[groupIndex(s, group)]) {
                    // Hugging Face pads a done group's beams, and pads are tokens to the penalty.
                    if (diverse && keepPenalty)
                        for (std::int64_t b = 0; b < m_perGroup; ++b) {
                            countRows.push_back(s);
                            countTokens.push_back(pad);
                        }
                    continue;
                }
                const double *v = valuesCpu[s].data_ptr<double>();
                const std::int64_t *ix = indicesCpu[s].data_ptr<std::int64_t>();
                double &bestCandidate = m_bestCandidate[groupIndex(s, group)];
                std::int64_t filled = 0;
                for (std::int64_t rank = 0; rank < valuesCpu.size(1) && filled < m_perGroup; ++rank) {
                    if (!std::isfinite(v[rank]))
                        break;
                    const std::int64_t parentLocal = ix[rank] / vocab;
                    const auto token = static_cast<std::int32_t>(ix[rank] % vocab);
                    const std::int64_t parentRow = step == 0 ? s : rowOf(s, group * m_perGroup + parentLocal);
                    double logProb = v[rank];
                    if (diverse && !keepPenalty) {
                        const auto &used = countsCpu[static_cast<std::size_t>(s)];
                        if (const auto found = used.find(token); found != used.end())
                            logProb += m_options.diversityPenalty * found->second; // the model's log-probability
                    }
                    bestCandidate = std::max(bestCandidate, logProb); // eos included, as is_done is fed
                    const int parentSlot = step == 0 ? -1 : static_cast<int>(parentRow - rowOf(s, 0));
                    if (token == m_eos) {
                        if (rank < m_perGroup)
                            finishHypothesis(s, group, parentRow, parentSlot, logProb);
                        continue;
                    }
                    const std::int64_t slot = group * m_perGroup + filled;
                    m_next[static_cast<std::size_t>(rowOf(s, slot))] = {parentRow, token, logProb};
                    if (m_options.trace)
                        resultOf(s).trace.back().chosen.push_back({static_cast<int>(slot), parentSlot, token, logProb, group});
                    if (diverse) {
                        countRows.push_back(s);
                        countTokens.push_back(token);
                    }
                    ++filled;
                }
            }
            if (diverse && !countRows.empty()) {
                for (std::size_t i = 0; i < countRows.size(); ++i)
                    ++countsCpu[static_cast<std::size_t>(countRows[i])][static_cast<std::int32_t>(countTokens[i])];
                const auto device = counts.device();
                counts.select(1, 0).index_put_(
                    {at::tensor(countRows, at::kLong).to(device), at::tensor(countTokens, at::kLong).to(device)},
                    at::ones({static_cast<std::int64_t>(countRows.size())}, counts.options()), true);
            }
        }
        updateDone(step);
    }

    void finishHypothesis(std::int64_t source, int group, std::int64_t parentRow, int parentSlot, double logProb)
    {
        const Row &parent = m_rows[static_cast<std::size_t>(parentRow)];
        Hypothesis h;
        h.tokens = parent.tokens;
        h.logProb = logProb;
        h.score = normalisedScore(logProb, h.tokens.size() + 1, m_options.lengthPenalty); // eos counted
        h.group = group;
        if (m_owner.m_trie)
            h.item = m_owner.m_trie->itemAt(m_owner.m_trie->child(parent.node, m_eos));
        m_finished[groupIndex(source, group)].add(std::move(h));
        if (m_options.trace)
            resultOf(source).trace.back().chosen.push_back({-1, parentSlot, m_eos, logProb, group});
    }

    void updateDone(std::int64_t step)
    {
        for (std::int64_t s = 0; s < m_sources; ++s) {
            for (int group = 0; group < m_options.groups; ++group) {
                const std::size_t g = groupIndex(s, group);
                if (m_done[g])
                    continue;
                double bestLive = kDead;
                for (std::int64_t b = 0; b < m_perGroup; ++b)
                    bestLive = std::max(bestLive, m_next[static_cast<std::size_t>(rowOf(s, group * m_perGroup + b))].logProb);
                const double best =
                    m_options.earlyStop == BeamSearchOptions::EarlyStop::HuggingFace ? m_bestCandidate[g] : bestLive;
                if (!std::isfinite(bestLive) ||
                    m_finished[g].isDone(best, static_cast<std::size_t>(step + 1), m_options.lengthPenalty)) {
                    m_done[g] = true;
                    for (std::int64_t b = 0; b < m_perGroup; ++b)
                        m_next[static_cast<std::size_t>(rowOf(s, group * m_perGroup + b))].logProb = kDead;
                }
            }
        }
    }

    // After the last step, the beams of the groups still searching become hypotheses as they are:
    // no eos, no eos score, their length their tokens (Hugging Face's finalize at max_length).
    // With a trie, a beam that is not a whole ID is no result and is dropped.
    void endOpenBeams()
    {
        for (std::int64_t s = 0; s < m_sources; ++s) {
            for (int group = 0; group < m_options.groups; ++group) {
                const std::size_t g = groupIndex(s, group);
                if (m_done[g])
                    continue;
                for (std::int64_t b = 0; b < m_perGroup; ++b) {
                    Choice &choice = m_next[static_cast<std::size_t>(rowOf(s, group * m_perGroup + b))];
                    if (choice.logProb == kDead)
                        continue;
                    const Row &parent = m_rows[static_cast<std::size_t>(choice.parentRow)];
                    Hypothesis h;
                    h.tokens = parent.tokens;
                    h.tokens.push_back(choice.token);
                    h.logProb = choice.logProb;
                    h.score = normalisedScore(choice.logProb, h.tokens.size(), m_options.lengthPenalty);
                    h.group = group;
                    if (m_owner.m_trie) {
                        const std::int32_t node = m_owner.m_trie->child(parent.node, choice.token);
                        const std::int32_t leaf =
                            node == PrefixTrie::kNone ? PrefixTrie::kNone : m_owner.m_trie->child(node, m_eos);
                        if (leaf == PrefixTrie::kNone)
                            continue;
                        h.item = m_owner.m_trie->itemAt(leaf);
                    }
                    m_finished[g].add(std::move(h));
                    choice.logProb = kDead;
                }
                m_done[g] = true;
            }
        }
    }

    // Drops the sources whose every group is done from m_next, m_rows, the cache and the encoder
    // mask; parent rows in m_next are renumbered to the compacted m_rows.
    void dropFinishedSources(std::int64_t step)
    {
        std::vector<std::int64_t> kept;
        for (std::int64_t p = 0; p < m_sources; ++p) {
            bool over = true;
            for (int group = 0; group < m_options.groups && over; ++group)
                over = m_done[groupIndex(p, group)];
            if (!over)
                kept.push_back(p);
        }
        if (static_cast<std::int64_t>(kept.size()) == m_sources)
            return;
        const std::int64_t parentsPerSource = step == 0 ? 1 : m_beams;
        std::vector<Choice> next;
        std::vector<Row> rows;
        std::vector<std::int64_t> active;
        for (std::size_t n = 0; n < kept.size(); ++n) {
            const std::int64_t p = kept[n];
            for (std::int64_t slot = 0; slot < m_beams; ++slot) {
                Choice choice = m_next[static_cast<std::size_t>(rowOf(p, slot))];
                if (choice.logProb != kDead)
                    choice.parentRow += (static_cast<std::int64_t>(n) - p) * parentsPerSource;
                next.push_back(choice);
            }
            for (std::int64_t r = 0; r < parentsPerSource; ++r)
                rows.push_back(std::move(m_rows[static_cast<std::size_t>(p * parentsPerSource + r)]));
            active.push_back(m_active[static_cast<std::size_t>(p)]);
        }
        const at::Tensor index = at::tensor(kept, at::kLong).to(m_encoderHidden.device());
        m_cache.selectSources(index);
        if (m_encoderMask.defined())
            m_encoderMask = m_encoderMask.index_select(0, index);
        m_next = std::move(next);
        m_rows = std::move(rows);
        m_active = std::move(active);
        m_sources = static_cast<std::int64_t>(kept.size());
    }

    // Makes the chosen continuations the rows of the next step and moves the cache with them.
    void advance(std::int64_t step, at::Tensor &input)
    {
        dropFinishedSources(step);
        const auto device = input.device();
        std::vector<Row> rows(m_next.size());
        std::vector<std::int64_t> parentRows(m_next.size());
        std::vector<std::int64_t> tokens(m_next.size());
        for (std::size_t r = 0; r < m_next.size(); ++r) {
            const Choice &choice = m_next[r];
            // A dead slot still needs a row of its own source in the cache: its first beam's.
            const auto source = static_cast<std::int64_t>(r) / m_beams;
            parentRows[r] = choice.logProb == kDead ? (step == 0 ? source : rowOf(source, 0)) : choice.parentRow;
            if (choice.logProb == kDead) {
                tokens[r] = m_owner.m_model.config().padTokenId;
                continue;
            }
            const Row &parent = m_rows[static_cast<std::size_t>(choice.parentRow)];
            Row &row = rows[r];
            row.tokens = parent.tokens;
            row.tokens.push_back(choice.token);
            row.logProb = choice.logProb;
            row.node = m_owner.m_trie ? m_owner.m_trie->child(parent.node, choice.token) : 0;
            tokens[r] = choice.token;
        }
        m_rows = std::move(rows);
        if (step == 0)
            m_cache.beamsPerSource = m_beams; // from now on the beams of a source share its encoder rows
        m_cache.reorder(at::tensor(parentRows, at::kLong).to(device));
        input = at::tensor(tokens, at::kLong).to(device).view({-1, 1});
    }

    at::Tensor sourcesTensor(std::int64_t step, const c10::Device &device) const
    {
        const std::int64_t perSource = step == 0 ? 1 : m_beams;
        std::vector<std::int64_t> sources(m_rows.size());
        for (std::size_t r = 0; r < sources.size(); ++r)
            sources[r] = m_active[r / static_cast<std::size_t>(perSource)];
        return at::tensor(sources, at::kLong).to(device);
    }

    std::vector<double> rowLogProbs() const
    {
        std::vector<double> values(m_rows.size());
        for (std::size_t r = 0; r < m_rows.size(); ++r)
            values[r] = m_rows[r].logProb;
        return values;
    }

    // Trace: the step's entry, and for every live beam the best tokens by the model that the
    // hooks (the trie) removed.
    void tracePruned(std::int64_t step, const at::Tensor &logProbs, const at::Tensor &scores)
    {
        for (std::int64_t p = 0; p < m_sources; ++p)
            resultOf(p).trace.emplace_back();
        const std::int64_t k = std::min<std::int64_t>(m_options.traceAlternatives, logProbs.size(1));
        if (k == 0)
            return;
        const auto [values, indices] = logProbs.topk(k, 1);
        const at::Tensor removed = scores.gather(1, indices).isinf().to(at::kCPU).contiguous();
        const at::Tensor valuesCpu = values.to(at::kCPU, at::kDouble).contiguous();
        const at::Tensor indicesCpu = indices.to(at::kCPU).contiguous();
        const auto removedAt = removed.accessor<bool, 2>();
        const auto valueAt = valuesCpu.accessor<double, 2>();
        const auto tokenAt = indicesCpu.accessor<std::int64_t, 2>();
        for (std::size_t r = 0; r < m_rows.size(); ++r) {
            if (!m_rows[r].live())
                continue;
            const auto row = static_cast<std::int64_t>(r);
            const std::int64_t source = step == 0 ? row : row / m_beams;
            const int slot = step == 0 ? -1 : static_cast<int>(row - rowOf(source, 0));
            for (std::int64_t j = 0; j < k; ++j) {
                if (removedAt[row][j])
                    resultOf(source).trace.back().pruned.push_back(
                        {slot, static_cast<std::int32_t>(tokenAt[row][j]), m_rows[r].logProb + valueAt[row][j]});
            }
        }
    }

    std::vector<SearchResult> finish()
    {
        const std::size_t count = static_cast<std::size_t>(m_options.returnCount > 0 ? m_options.returnCount : m_beams);
        const auto groups = static_cast<std::size_t>(m_options.groups);
        for (std::size_t s = 0; s < m_results.size(); ++s) {
            std::vector<Hypothesis> all;
            for (std::size_t group = 0; group < groups; ++group) {
                auto found = m_finished[s * groups + group].take();
                std::move(found.begin(), found.end(), std::back_inserter(all));
            }
            m_results[s].hypotheses = bestHypotheses(std::move(all), count);
        }
        return std::move(m_results);
    }

    BeamSearch &m_owner;
    const BeamSearchOptions &m_options;
    std::int64_t m_sources;
    std::int64_t m_beams;
    std::int64_t m_perGroup;
    std::int32_t m_eos;
    std::int64_t m_maxSteps = 0;
    bool m_endAtMax = true;
    at::Tensor m_encoderHidden;
    at::Tensor m_encoderMask;
    KvCache m_cache;
    std::vector<std::shared_ptr<LogitsHook>> m_hooks;
    std::vector<Row> m_rows;
    std::vector<Choice> m_next;
    std::vector<FinishedHypotheses> m_finished; // per source and group
    std::vector<bool> m_done;                  // per source and group
    std::vector<double> m_bestCandidate;       // per source and group: the step's best, eos included
    std::vector<SearchResult> m_results;       // per source
    std::vector<std::int64_t> m_active;        // position in the batch -> source
};

BeamSearch::BeamSearch(T5Model &model, BeamSearchOptions options, const PrefixTrie *trie)
    : m_model(model)
    , m_options(options)
    , m_trie(trie)
{
    m_options.validate();
    if (trie && trie->eosId() != model.config().eosTokenId)
        throw Error("beam search: the trie ends IDs with token " + std::to_string(trie->eosId()) +
                    ", the model's eos is " + std::to_string(model.config().eosTokenId));
}

BeamSearch::~BeamSearch() = default;

void BeamSearch::addHook(std::shared_ptr<LogitsHook> hook)
{
    m_hooks.push_back(std::move(hook));
}

std::vector<SearchResult> BeamSearch::run(const at::Tensor &inputIds, const at::Tensor &attentionMask)
{
    at::NoGradGuard noGrad;
    EvalScope eval(m_model);
    const auto device = m_model.device();
    const at::Tensor ids = inputIds.to(device);
    const at::Tensor mask = attentionMask.defined() ? attentionMask.to(device) : at::Tensor();
    return runEncoded(m_model.encode(ids, mask), mask);
}

std::vector<SearchResult> BeamSearch::runEncoded(const at::Tensor &encoderHidden, const at::Tensor &encoderMask)
{
    at::NoGradGuard noGrad;
    EvalScope eval(m_model);
    if (encoderHidden.size(0) == 0)
        return {};
    if (m_trie && m_trie->itemCount() == 0)
        throw Error("beam search: the ID trie is empty");
    Run search(*this, encoderHidden, encoderMask);
    return search.run();
}

} // namespace idgen
