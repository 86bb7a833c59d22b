#include "models/BeamTreeLayout.h"

#include <algorithm>

namespace idgen::ui {
namespace {

int kindOrder(BeamTreeNode::Kind kind)
{
    switch (kind) {
    case BeamTreeNode::Kind::Root:
    case BeamTreeNode::Kind::Beam: return 0;
    case BeamTreeNode::Kind::Ended: return 1;
    case BeamTreeNode::Kind::Pruned: return 2;
    }
    return 3;
}

} // namespace

BeamTreeLayout::BeamTreeLayout(const BeamTree &tree, const Options &options)
    : m_tree(&tree)
    , m_options(options)
    , m_visible(tree.nodes.size(), false)
    , m_row(tree.nodes.size(), 0.0)
    , m_groups(tree.nodes.size())
{
    if (tree.nodes.empty())
        return;
    // Children lists in one pass (parents come before children in the tree).
    std::vector<std::vector<int>> children(tree.nodes.size());
    for (std::size_t n = 1; n < tree.nodes.size(); ++n) {
        const BeamTreeNode &node = tree.nodes[n];
        if (options.lastStep >= 0 && node.step > options.lastStep)
            continue;
        if (!options.showPruned && node.kind == BeamTreeNode::Kind::Pruned)
            continue;
        children[static_cast<std::size_t>(node.parent)].push_back(static_cast<int>(n));
    }
    for (auto &list : children)
        std::stable_sort(list.begin(), list.end(), [&tree](int a, int b) {
            const BeamTreeNode &x = tree.nodes[static_cast<std::size_t>(a)];
            const BeamTreeNode &y = tree.nodes[static_cast<std::size_t>(b)];
            if (kindOrder(x.kind) != kindOrder(y.kind))
                return kindOrder(x.kind) < kindOrder(y.kind);
            if (x.kind == BeamTreeNode::Kind::Beam)
                return x.slot < y.slot;
            return x.logProb > y.logProb;
        });
    place(0, children);
    for (const int n : m_order)
        m_columns = std::max(m_columns, column(n) + 1);
}

// Depth-first: a leaf takes the next row(s), an inner node sits at the middle of its first and
// last child that is not pruned. Returns the node's row.
double BeamTreeLayout::place(int node, const std::vector<std::vector<int>> &children)
{
    m_visible[static_cast<std::size_t>(node)] = true;
    m_order.push_back(node);
    const auto &all = children[static_cast<std::size_t>(node)];
    // The pruned children (sorted last, best first) collapse into their best one's box.
    std::vector<int> mine;
    std::vector<int> cut;
    for (const int child : all)
        (m_tree->nodes[static_cast<std::size_t>(child)].kind == BeamTreeNode::Kind::Pruned ? cut : mine).push_back(child);
    if (!cut.empty()) {
        mine.push_back(cut.front());
        m_groups[static_cast<std::size_t>(cut.front())] = std::move(cut);
    }
    double row = 0.0;
    if (mine.empty()) {
        const bool pruned = m_tree->nodes[static_cast<std::size_t>(node)].kind == BeamTreeNode::Kind::Pruned;
        const double height = pruned ? m_options.prunedRowHeight : 1.0;
        row = m_rows + height / 2.0;
        m_rows += height;
    } else {
        // Centred on the children that grew on (beams, hypotheses), not on what was cut.
        double first = -1.0;
        double last = -1.0;
        double firstAny = -1.0;
        double lastAny = -1.0;
        for (const int child : mine) {
            const double r = place(child, children);
            lastAny = r;
            firstAny = firstAny < 0.0 ? r : firstAny;
            if (m_tree->nodes[static_cast<std::size_t>(child)].kind != BeamTreeNode::Kind::Pruned) {
                last = r;
                first = first < 0.0 ? r : first;
            }
        }
        row = first >= 0.0 ? (first + last) / 2.0 : (firstAny + lastAny) / 2.0;
    }
    m_row[static_cast<std::size_t>(node)] = row;
    for (const int member : m_groups[static_cast<std::size_t>(node)]) {
        m_visible[static_cast<std::size_t>(member)] = true;
        m_row[static_cast<std::size_t>(member)] = row;
    }
    return row;
}

} // namespace idgen::ui
