#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

// One beam search of one source as a tree, built from its trace (traceJson(), the form the CLI
// prints and decode_traces keeps), so a live decoding and a stored one are drawn the same way.
// Every token a beam chose is a node under the node it grew from; a hypothesis that ended with
// eos is a leaf under its beam; the best tokens the trie removed hang under the beam they were
// removed from, marked pruned, with the cumulative score they would have had.
struct BeamTreeNode {
    enum class Kind {
        Root,   // before the first token
        Beam,   // a token a beam chose
        Ended,  // eos: the path above it is a finished hypothesis
        Pruned, // a token the constraint removed although the model ranked it among its best
    };
    Kind kind = Kind::Root;
    int step = -1;   // the decoding step that wrote the token (0 = the first token); -1 for the root
    int slot = -1;   // the beam's place after its step (Beam nodes only)
    int parent = -1; // node index; -1 for the root
    int group = 0;   // diverse beam search: the group that chose it
    std::int32_t token = -1;
    std::string piece;
    double logProb = 0.0; // cumulative log-probability
    bool finished = false; // on the path of an Ended node: its tokens became a hypothesis
};

struct BeamTree {
    std::vector<BeamTreeNode> nodes; // nodes[0] is the root; parents come before their children
    int steps = 0;                   // steps in the trace
    int beams = 0;                   // the widest step (beam slots used)

    std::vector<int> children(int node) const;
    // The ID text the path from the root to `node` spells (pieces joined, SentencePiece's word
    // marks as spaces), eos left out.
    std::string pathText(int node) const;
    std::vector<std::int32_t> pathTokens(int node) const;
    std::size_t count(BeamTreeNode::Kind kind) const;
};

// Throws an Error naming the step and the field when the trace is malformed (a parent slot that
// no beam held at the step before, a missing key).
BeamTree beamTreeFromTrace(const nlohmann::json &trace);

} // namespace idgen
