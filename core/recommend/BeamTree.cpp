#include "recommend/BeamTree.h"

#include "util/Error.h"

#include <algorithm>
#include <map>

namespace idgen {
namespace {

template <typename T>
T field(const nlohmann::json &entry, const char *key, std::size_t step, const char *list)
{
    if (!entry.is_object() || !entry.contains(key))
        throw Error("decoding trace: step " + std::to_string(step) + ": an entry of '" + list + "' has no field '" +
                    key + "'");
    try {
        return entry.at(key).get<T>();
    } catch (const nlohmann::json::exception &) {
        throw Error("decoding trace: step " + std::to_string(step) + ": field '" + key + "' of '" + list +
                    "' has the wrong type");
    }
}

// The node a chosen or pruned token grew from: the root at the first step, else the node that
// held the parent slot after the step before.
int parentNode(const std::map<int, int> &previousSlots, int parentSlot, std::size_t step, const char *list)
{
    if (parentSlot < 0)
        return 0;
    const auto found = previousSlots.find(parentSlot);
    if (found == previousSlots.end())
        throw Error("decoding trace: step " + std::to_string(step) + ": an entry of '" + list + "' names parent beam " +
                    std::to_string(parentSlot) + ", which no beam held after the step before");
    return found->second;
}

void markFinishedPaths(BeamTree &tree)
{
    for (std::size_t n = tree.nodes.size(); n-- > 0;) {
        BeamTreeNode &node = tree.nodes[n];
        if (node.kind == BeamTreeNode::Kind::Ended)
            node.finished = true;
        if (node.finished && node.parent >= 0)
            tree.nodes[static_cast<std::size_t>(node.parent)].finished = true;
    }
}

} // namespace

BeamTree beamTreeFromTrace(const nlohmann::json &trace)
{
    if (!trace.is_array())
        throw Error("decoding trace: expected a list of steps");
    BeamTree tree;
    tree.nodes.push_back(BeamTreeNode{});
    std::map<int, int> previousSlots; // slot -> node after the step before
    for (std::size_t s = 0; s < trace.size(); ++s) {
        const nlohmann::json &step = trace[s];
        if (!step.is_object() || !step.contains("chosen") || !step["chosen"].is_array())
            throw Error("decoding trace: step " + std::to_string(s) + " has no list 'chosen'");
        std::map<int, int> slots;
        for (const auto &c : step["chosen"]) {
            BeamTreeNode node;
            node.step = static_cast<int>(s);
            node.slot = field<int>(c, "slot", s, "chosen");
            node.parent = parentNode(previousSlots, field<int>(c, "parent", s, "chosen"), s, "chosen");
            node.token = field<std::int32_t>(c, "token", s, "chosen");
            node.piece = c.value("piece", std::string());
            node.logProb = field<double>(c, "log_prob", s, "chosen");
            node.group = c.value("group", 0);
            node.kind = node.slot < 0 ? BeamTreeNode::Kind::Ended : BeamTreeNode::Kind::Beam;
            if (node.slot >= 0) {
                slots[node.slot] = static_cast<int>(tree.nodes.size());
                tree.beams = std::max(tree.beams, node.slot + 1);
            }
            tree.nodes.push_back(std::move(node));
        }
        if (step.contains("pruned")) {
            for (const auto &p : step["pruned"]) {
                BeamTreeNode node;
                node.kind = BeamTreeNode::Kind::Pruned;
                node.step = static_cast<int>(s);
                node.parent = parentNode(previousSlots, field<int>(p, "parent", s, "pruned"), s, "pruned");
                node.token = field<std::int32_t>(p, "token", s, "pruned");
                node.piece = p.value("piece", std::string());
                node.logProb = field<double>(p, "log_prob", s, "pruned");
                tree.nodes.push_back(std::move(node));
            }
        }
        previousSlots = std::move(slots);
    }
    tree.steps = static_cast<int>(trace.size());
    markFinishedPaths(tree);
    return tree;
}

std::vector<int> BeamTree::children(int node) const
{
    std::vector<int> out;
    for (std::size_t n = 0; n < nodes.size(); ++n)
        if (nodes[n].parent == node)
            out.push_back(static_cast<int>(n));
    return out;
}

std::vector<std::int32_t> BeamTree::pathTokens(int node) const
{
    std::vector<std::int32_t> tokens;
    for (int n = node; n > 0; n = nodes[static_cast<std::size_t>(n)].parent)
        if (nodes[static_cast<std::size_t>(n)].kind != BeamTreeNode::Kind::Ended)
            tokens.push_back(nodes[static_cast<std::size_t>(n)].token);
    std::reverse(tokens.begin(), tokens.end());
    return tokens;
}

std::string BeamTree::pathText(int node) const
{
    std::vector<const std::string *> pieces;
    for (int n = node; n > 0; n = nodes[static_cast<std::size_t>(n)].parent)
        if (nodes[static_cast<std::size_t>(n)].kind != BeamTreeNode::Kind::Ended)
            pieces.push_back(&nodes[static_cast<std::size_t>(n)].piece);
    std::string text;
    for (auto it = pieces.rbegin(); it != pieces.rend(); ++it)
        text += **it;
    // SentencePiece marks a word's start with U+2581 (three bytes in UTF-8).
    static const std::string kWordMark = "\xE2\x96\x81";
    std::string spaced;
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, kWordMark.size(), kWordMark) == 0) {
            if (!spaced.empty())
                spaced += ' ';
            i += kWordMark.size();
        } else {
            spaced += text[i++];
        }
    }
    return spaced;
}

std::size_t BeamTree::count(BeamTreeNode::Kind kind) const
{
    return static_cast<std::size_t>(
        std::count_if(nodes.begin(), nodes.end(), [kind](const BeamTreeNode &n) { return n.kind == kind; }));
}

} // namespace idgen
