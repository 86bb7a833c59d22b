#pragma once

#include "models/BeamTreeLayout.h"
#include "recommend/BeamTree.h"

#include <QMap>
#include <QStaticText>
#include <QString>
#include <QWidget>

#include <memory>

namespace idgen::ui {

// Draws a beam search as a tree, one column per step: every node shows its token and cumulative
// log-probability; the paths that became hypotheses are solid, beams the search dropped are
// faint, and the tokens the trie pruned hang dashed under the beam they were cut from, with the
// score they would have had. Finished hypotheses carry their rank; the path of the test item is
// drawn in the link colour. Colours come from the palette. Clicking a node emits its ID prefix
// (the inspector forces it); hovering shows the node's details.
class BeamTreeWidget : public QWidget {
    Q_OBJECT
public:
    explicit BeamTreeWidget(QWidget *parent = nullptr);

    void setTree(std::shared_ptr<const BeamTree> tree);
    const BeamTree *tree() const { return m_tree.get(); }
    // Draw only the steps up to `step` (-1: all): the search unfolding step by step.
    void setLastStep(int step);
    void setShowPruned(bool show);
    // Ranks of the finished hypotheses by their ID text, and the test item's ID text.
    void setMarks(QMap<QString, int> rankOfId, const QString &targetId);

    const BeamTreeLayout &layout() const { return m_layout; }
    QSize sizeHint() const override;
    // The node drawn at a widget position, or -1.
    int nodeAt(const QPoint &position) const;
    // Where a node's box is drawn (widget coordinates).
    QRectF nodeRect(int node) const;
    // The node worth showing first: the test item's finished hypothesis, else the best ranked
    // one, else the root.
    int focusNode() const;

Q_SIGNALS:
    void prefixClicked(const QString &idPrefix);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    void relayout();
    QFont labelFont() const;
    QString label(int node) const;

    std::shared_ptr<const BeamTree> m_tree;
    BeamTreeLayout::Options m_options;
    BeamTreeLayout m_layout;
    QMap<QString, int> m_rankOfId;
    QString m_targetId;
    std::vector<bool> m_onTargetPath;
    std::vector<int> m_rankOfNode; // finished hypotheses: their rank, else 0
    // Labels laid out once per layout, not on every paint (text layout dominated redraws).
    std::vector<QStaticText> m_labels;
};

} // namespace idgen::ui
