#pragma once

#include "recommend/BeamTree.h"

#include <vector>

namespace idgen::ui {

// Where each node of a beam tree goes, in grid units: column = step + 1 (the root is column 0),
// row = a leaf's place in depth-first order, an inner node centred on its children. Children come
// in the order beams, finished hypotheses (best first), pruned alternatives (best first), so the
// surviving search reads top-down and what the trie cut sits below it. The pruned alternatives of
// one beam share one box (a smaller row; the best one stands for the group), so a 20-beam search
// stays a few hundred rows tall; they can be left out. Qt-free, so tests check it directly.
class BeamTreeLayout {
public:
    struct Options {
        bool showPruned = true;
        int lastStep = -1;          // nodes of later steps are left out; -1: every step
        double prunedRowHeight = 0.6;
    };

    BeamTreeLayout() = default;
    BeamTreeLayout(const BeamTree &tree, const Options &options);

    // Per node of the tree: whether it is drawn, its column and row (row of its centre).
    bool visible(int node) const { return m_visible[static_cast<std::size_t>(node)]; }
    int column(int node) const { return m_tree->nodes[static_cast<std::size_t>(node)].step + 1; }
    double row(int node) const { return m_row[static_cast<std::size_t>(node)]; }
    double rows() const { return m_rows; }       // total height in rows
    int columns() const { return m_columns; }    // root column included
    // The boxes to draw, parents before children: every visible node except the pruned
    // alternatives that share their best sibling's box.
    const std::vector<int> &order() const { return m_order; }
    // For the pruned node that stands for its group: the group, best first (itself included);
    // empty for every other node.
    const std::vector<int> &prunedGroup(int node) const { return m_groups[static_cast<std::size_t>(node)]; }

private:
    double place(int node, const std::vector<std::vector<int>> &children);

    const BeamTree *m_tree = nullptr;
    Options m_options;
    std::vector<bool> m_visible;
    std::vector<double> m_row;
    std::vector<int> m_order;
    std::vector<std::vector<int>> m_groups;
    double m_rows = 0.0;
    int m_columns = 1;
};

} // namespace idgen::ui
