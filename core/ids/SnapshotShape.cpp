#include "ids/SnapshotShape.h"

#include "decode/PrefixTrie.h"
#include "ids/IdSnapshot.h"
#include "text/Tokenizer.h"

#include <algorithm>

namespace idgen {

SnapshotShape snapshotShape(const IdSnapshot &snapshot)
{
    SnapshotShape shape;
    const IdTable &items = snapshot.items;
    std::vector<std::vector<std::int32_t>> sequences(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        sequences[i].assign(items.tokens[i].begin(), items.tokens[i].end());
        ++shape.tokenLengths[items.tokens[i].size()];
        const std::string &text = items.texts[i];
        // Normalised IDs separate words by single spaces.
        const auto words = text.empty() ? 0 : static_cast<std::size_t>(std::count(text.begin(), text.end(), ' ')) + 1;
        ++shape.wordLengths[words];
    }
    const PrefixTrie trie = PrefixTrie::build(sequences, Tokenizer::kT5Ids.eos);
    const PrefixTrie::Stats &stats = trie.stats();
    shape.trieDepth = stats.maxDepth;
    shape.trieNodesPerDepth = stats.nodesPerDepth;
    shape.trieBranchingPerDepth = stats.meanBranchingPerDepth;
    shape.trieNodes = stats.nodes;
    shape.collisionsResolved = items.stats.collisionsResolved;
    shape.escalations = items.stats.escalations;
    shape.fallbacks = items.stats.fallbacks;
    return shape;
}

} // namespace idgen
