#pragma once

#include "recommend/BeamTree.h"

#include <vector>

namespace idgen::ui {

// Where each node of a beam tree goes, in grid units: column = step + 1 (the root is column 0),
// row = a leaf's place in depth-first order, an inner node centred on its children. Children come
// in the order beams, finished hypotheses (best first), pruned alternatives (best first), so the
// surviving search reads top-down and what the trie cut sits below it. Pruned leaves take a
// smaller row, and can be left out (then they take none). Qt-free, so tests check it directly.
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
    // Visible nodes in drawing order (parents before children).
    const std::vector<int> &order() const { return m_order; }

private:
    double place(int node, const std::vector<std::vector<int>> &children);

    const BeamTree *m_tree = nullptr;
    Options m_options;
    std::vector<bool> m_visible;
    std::vector<double> m_row;
    std::vector<int> m_order;
    double m_rows = 0.0;
    int m_columns = 1;
};

} // namespace idgen::ui
