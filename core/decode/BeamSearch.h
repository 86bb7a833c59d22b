#pragma once

#include "decode/Hypotheses.h"
#include "decode/LogitsHooks.h"
#include "decode/PrefixTrie.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <memory>
#include <vector>

namespace idgen {

class T5Model;

// Sources (users) per batched search call when the caller does not choose: on a CPU, 32 keeps a
// step's tensors cache-sized (measured fastest with `idgenrec bench decode --batch N`); on
// CUDA, 256 fills the device.
std::int64_t defaultSourcesPerCall(const c10::Device &device);

// The defaults do what Hugging Face's generate (transformers 4.36, early_stopping=False) does, so
// that rankings and Algorithm 1's IDs are the published code's; the alternatives are options.
struct BeamSearchOptions {
    int beams = 10;
    // Diverse (group) beam search when > 1: beams split into groups that each run their own beam
    // search, a token chosen by an earlier group at the same step costing diversityPenalty per use
    // (Hamming diversity, Vijayakumar et al. 2018). beams must be a multiple of groups.
    int groups = 1;
    double diversityPenalty = 0.0;
    // What a diverse search's beams and hypotheses score.
    enum class DiverseScores {
        // As _group_beam_search: the penalties a beam paid stay in its score, which it is ranked,
        // stopped and returned by; a group that is done counts its beams as pad tokens in the later
        // groups' penalty (its padded beams' token), as there.
        HuggingFace,
        // The penalty only steers each step's choice: scores are the model's log-probabilities, so
        // candidates of different groups compare like with like; done groups penalise nothing.
        LogProb,
    };
    DiverseScores diverseScores = DiverseScores::HuggingFace;
    int returnCount = 0;        // hypotheses per source, best first: 0 = beams (at most beams)
    double lengthPenalty = 1.0; // ranking score = logProb / length^lengthPenalty (eos counted)
    // Lengths count tokens, eos not counted: Hugging Face's min_length / max_length count the
    // decoder start token too, so its (1, 11) is (0, 10) here.
    int minLength = 0;  // tokens before eos may be chosen
    int maxLength = 64; // tokens a hypothesis may have (a trie bounds it by its depth)
    enum class AtMaxLength {
        End,      // Hugging Face's finalize: a beam at maxLength is a hypothesis as it is, no eos score
        ForceEos, // one more step in which eos is the only choice, its log-probability added
    };
    AtMaxLength atMaxLength = AtMaxLength::End;
    // When a beam (group) stops searching, once it holds `beams per group` hypotheses.
    enum class EarlyStop {
        // BeamHypotheses.is_done with early_stopping=False: the step's best candidate score, eos
        // continuations included, normalised at the current length, does not beat the worst kept.
        HuggingFace,
        // The same test with the best live (non-eos) beam, the only one that can still grow.
        BestLive,
    };
    EarlyStop earlyStop = EarlyStop::HuggingFace;
    bool trace = false;
    int traceAlternatives = 5;  // per beam and step: the best tokens the constraint removed

    // Throws an Error naming the bad option.
    void validate() const;
};

// One beam's step in a trace. slot: the beam's place (0 .. beams-1) after the step, or -1 for a
// hypothesis that ended with eos at this step; parent: its slot before the step (-1 at step 0).
struct TraceChoice {
    int slot = 0;
    int parent = -1;
    std::int32_t token = 0;
    double logProb = 0.0; // cumulative
    int group = 0;
};

// A token the constraint removed although the model ranked it among its best for that beam.
struct TracePruned {
    int parent = 0;
    std::int32_t token = 0;
    double logProb = 0.0; // cumulative, as if it had been allowed
};

struct TraceStep {
    std::vector<TraceChoice> chosen;
    std::vector<TracePruned> pruned;
};

struct SearchResult {
    std::vector<Hypothesis> hypotheses; // best first
    std::vector<TraceStep> trace;       // filled in trace mode
    int steps = 0;                      // decoder steps this source took part in before its search ended
};

// Beam search over a T5 decoder, batched over sources (users, items) and beams on the model's
// device, with the KV cache advancing one token per step. Each source's beams share one copy of
// its encoder keys/values, and the first step runs once per source, not once per beam. With a
// trie, every result is a valid item ID and carries its item. Greedy search is beams = 1.
class BeamSearch {
public:
    BeamSearch(T5Model &model, BeamSearchOptions options, const PrefixTrie *trie = nullptr);
    ~BeamSearch();

    // Runs after the built-in hooks (trie, length limits) on every step.
    void addHook(std::shared_ptr<LogitsHook> hook);

    // inputIds [sources, length] int64, attentionMask [sources, length] 0/1 (undefined: no padding).
    std::vector<SearchResult> run(const at::Tensor &inputIds, const at::Tensor &attentionMask = {});
    // For prompts given as encoder output (soft embeddings): encoderHidden [sources, length, d].
    std::vector<SearchResult> runEncoded(const at::Tensor &encoderHidden, const at::Tensor &encoderMask);

private:
    class Run;

    T5Model &m_model;
    BeamSearchOptions m_options;
    const PrefixTrie *m_trie;
    std::vector<std::shared_ptr<LogitsHook>> m_hooks;
};

} // namespace idgen
