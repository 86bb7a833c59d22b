#include "widgets/BeamTreeWidget.h"

#include "Style.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

namespace idgen::ui {
namespace {

constexpr double kColumnWidth = 150.0;
constexpr double kNodeWidth = 124.0;
constexpr double kRowHeight = 22.0;
constexpr double kNodeHeight = 18.0;
constexpr double kMargin = 8.0;

// SentencePiece's word mark (U+2581) as a middle dot: a word starts here.
QString readablePiece(const std::string &piece)
{
    QString text = QString::fromStdString(piece);
    text.replace(QChar(0x2581), QChar(0x00B7));
    return text;
}

QColor faded(QColor colour, double alpha)
{
    colour.setAlphaF(static_cast<float>(alpha));
    return colour;
}

} // namespace

BeamTreeWidget::BeamTreeWidget(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Beam search tree"));
}

void BeamTreeWidget::setTree(std::shared_ptr<const BeamTree> tree)
{
    m_tree = std::move(tree);
    m_options.lastStep = -1;
    relayout();
}

void BeamTreeWidget::setLastStep(int step)
{
    if (m_options.lastStep == step)
        return;
    m_options.lastStep = step;
    relayout();
}

void BeamTreeWidget::setShowPruned(bool show)
{
    if (m_options.showPruned == show)
        return;
    m_options.showPruned = show;
    relayout();
}

void BeamTreeWidget::setMarks(QMap<QString, int> rankOfId, const QString &targetId)
{
    m_rankOfId = std::move(rankOfId);
    m_targetId = targetId;
    relayout();
}

void BeamTreeWidget::relayout()
{
    m_onTargetPath.clear();
    m_rankOfNode.clear();
    if (!m_tree) {
        m_layout = BeamTreeLayout();
    } else {
        m_layout = BeamTreeLayout(*m_tree, m_options);
        const auto &nodes = m_tree->nodes;
        m_onTargetPath.assign(nodes.size(), false);
        m_rankOfNode.assign(nodes.size(), 0);
        for (std::size_t n = 0; n < nodes.size(); ++n) {
            if (nodes[n].kind != BeamTreeNode::Kind::Ended)
                continue;
            const QString id = QString::fromStdString(m_tree->pathText(static_cast<int>(n)));
            m_rankOfNode[n] = m_rankOfId.value(id, 0);
            if (!m_targetId.isEmpty() && id == m_targetId)
                for (int p = static_cast<int>(n); p >= 0; p = nodes[static_cast<std::size_t>(p)].parent)
                    m_onTargetPath[static_cast<std::size_t>(p)] = true;
        }
    }
    m_labels.assign(m_tree ? m_tree->nodes.size() : 0, QStaticText());
    const QFontMetricsF metrics(labelFont());
    for (const int node : m_layout.order()) {
        QStaticText &text = m_labels[static_cast<std::size_t>(node)];
        text.setText(metrics.elidedText(label(node), Qt::ElideRight, nodeRect(node).width() - 7));
        text.setTextFormat(Qt::PlainText);
        text.setPerformanceHint(QStaticText::AggressiveCaching);
    }
    updateGeometry();
    resize(sizeHint());
    update();
}

QSize BeamTreeWidget::sizeHint() const
{
    if (!m_tree)
        return {400, 200};
    return QSize(static_cast<int>(2 * kMargin + m_layout.columns() * kColumnWidth),
                 static_cast<int>(2 * kMargin + std::max(1.0, m_layout.rows()) * kRowHeight));
}

QFont BeamTreeWidget::labelFont() const
{
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    return small;
}

QRectF BeamTreeWidget::nodeRect(int node) const
{
    const double x = kMargin + m_layout.column(node) * kColumnWidth;
    const double y = kMargin + m_layout.row(node) * kRowHeight;
    const auto kind = m_tree->nodes[static_cast<std::size_t>(node)].kind;
    double width = kNodeWidth;
    if (kind == BeamTreeNode::Kind::Root || kind == BeamTreeNode::Kind::Ended)
        width = kNodeWidth * 0.6;
    else if (kind == BeamTreeNode::Kind::Pruned) // a leaf row of its own: room for the whole group
        width = kNodeWidth + kColumnWidth;
    const double height = kind == BeamTreeNode::Kind::Pruned ? kNodeHeight * 0.8 : kNodeHeight;
    return {x, y - height / 2.0, width, height};
}

QString BeamTreeWidget::label(int node) const
{
    const BeamTreeNode &n = m_tree->nodes[static_cast<std::size_t>(node)];
    switch (n.kind) {
    case BeamTreeNode::Kind::Root: return tr("start");
    case BeamTreeNode::Kind::Ended: {
        const int rank = m_rankOfNode[static_cast<std::size_t>(node)];
        return (rank > 0 ? QStringLiteral("#%1 ").arg(rank) : tr("end ")) + QString::number(n.logProb, 'f', 2);
    }
    case BeamTreeNode::Kind::Pruned: {
        QStringList cut;
        for (const int member : m_layout.prunedGroup(node)) {
            const BeamTreeNode &m = m_tree->nodes[static_cast<std::size_t>(member)];
            cut << readablePiece(m.piece) + QStringLiteral(" ") + QString::number(m.logProb, 'f', 2);
        }
        return QStringLiteral("\u2702 ") + cut.join(QStringLiteral("   "));
    }
    case BeamTreeNode::Kind::Beam: break;
    }
    return readablePiece(n.piece) + QStringLiteral("  ") + QString::number(n.logProb, 'f', 2);
}

void BeamTreeWidget::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    const QPalette &pal = palette();
    painter.fillRect(event->rect(), pal.color(QPalette::Base));
    if (!m_tree)
        return;
    const QColor text = pal.color(QPalette::Text);
    const QColor accent = pal.color(QPalette::Highlight);
    const QColor target = pal.color(QPalette::Link);
    const QColor pruned = style::errorText(pal);
    const QRectF visibleArea = QRectF(event->rect()).adjusted(-kColumnWidth, -kRowHeight, kColumnWidth, kRowHeight);
    painter.setFont(labelFont());

    // Edges first, so nodes sit on top of them.
    for (const int node : m_layout.order()) {
        const BeamTreeNode &n = m_tree->nodes[static_cast<std::size_t>(node)];
        if (n.parent < 0)
            continue;
        const QRectF from = nodeRect(n.parent);
        const QRectF to = nodeRect(node);
        if (!visibleArea.intersects(from.united(to)))
            continue;
        QPen pen(text, 1.0);
        const bool cut = n.kind == BeamTreeNode::Kind::Pruned;
        if (m_onTargetPath[static_cast<std::size_t>(node)])
            pen = QPen(target, 2.5);
        else if (cut)
            pen = QPen(faded(pruned, 0.45), 1.0);
        else if (n.finished)
            pen = QPen(accent, 2.0);
        else
            pen.setColor(faded(text, 0.3));
        // Hundreds of pruned alternatives: thin straight lines need no antialiasing.
        painter.setRenderHint(QPainter::Antialiasing, !cut);
        painter.setPen(pen);
        painter.drawLine(QPointF(from.right(), from.center().y()), QPointF(to.left(), to.center().y()));
    }
    for (const int node : m_layout.order()) {
        const QRectF box = nodeRect(node);
        if (!visibleArea.intersects(box))
            continue;
        const BeamTreeNode &n = m_tree->nodes[static_cast<std::size_t>(node)];
        const bool onTarget = m_onTargetPath[static_cast<std::size_t>(node)];
        QColor border = n.finished ? accent : faded(text, 0.35);
        QColor ink = n.finished || n.kind == BeamTreeNode::Kind::Root ? text : faded(text, 0.55);
        const bool cut = n.kind == BeamTreeNode::Kind::Pruned;
        if (cut) {
            border = faded(pruned, 0.6);
            ink = faded(pruned, 0.85);
        }
        if (onTarget)
            border = target;
        painter.setRenderHint(QPainter::Antialiasing, !cut);
        painter.setPen(QPen(border, onTarget ? 2.0 : 1.0, cut ? Qt::DashLine : Qt::SolidLine));
        painter.setBrush(n.kind == BeamTreeNode::Kind::Ended ? faded(accent, 0.18) : pal.color(QPalette::Base));
        if (cut)
            painter.drawRect(box); // dashed and square: cut, not grown
        else
            painter.drawRoundedRect(box, 4, 4);
        painter.setPen(ink);
        const QStaticText &caption = m_labels[static_cast<std::size_t>(node)];
        painter.drawStaticText(QPointF(box.left() + 4, box.center().y() - caption.size().height() / 2.0), caption);
    }
}

int BeamTreeWidget::focusNode() const
{
    if (!m_tree)
        return 0;
    int best = 0;
    for (const int node : m_layout.order()) {
        const auto n = static_cast<std::size_t>(node);
        if (m_tree->nodes[n].kind != BeamTreeNode::Kind::Ended)
            continue;
        if (m_onTargetPath[n])
            return node;
        if (m_rankOfNode[n] == 1)
            best = node;
    }
    return best;
}

int BeamTreeWidget::nodeAt(const QPoint &position) const
{
    if (!m_tree)
        return -1;
    for (const int node : m_layout.order())
        if (nodeRect(node).contains(position))
            return node;
    return -1;
}

void BeamTreeWidget::mouseReleaseEvent(QMouseEvent *event)
{
    const int node = nodeAt(event->position().toPoint());
    if (node > 0 && event->button() == Qt::LeftButton &&
        m_tree->nodes[static_cast<std::size_t>(node)].kind != BeamTreeNode::Kind::Ended)
        Q_EMIT prefixClicked(QString::fromStdString(m_tree->pathText(node)));
    QWidget::mouseReleaseEvent(event);
}

bool BeamTreeWidget::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip || !m_tree)
        return QWidget::event(event);
    auto *help = static_cast<QHelpEvent *>(event);
    const int node = nodeAt(help->pos());
    if (node <= 0) {
        QToolTip::hideText();
        return true;
    }
    const BeamTreeNode &n = m_tree->nodes[static_cast<std::size_t>(node)];
    QString kind;
    switch (n.kind) {
    case BeamTreeNode::Kind::Beam: kind = n.finished ? tr("beam %1, became a hypothesis").arg(n.slot) : tr("beam %1, dropped later").arg(n.slot); break;
    case BeamTreeNode::Kind::Ended: kind = tr("finished hypothesis (eos)"); break;
    case BeamTreeNode::Kind::Pruned: {
        QStringList cut;
        for (const int member : m_layout.prunedGroup(node)) {
            const BeamTreeNode &m = m_tree->nodes[static_cast<std::size_t>(member)];
            cut << tr("'%1' (token %2) %3").arg(readablePiece(m.piece)).arg(m.token).arg(m.logProb, 0, 'f', 4);
        }
        QToolTip::showText(help->globalPos(),
                           tr("Pruned by the trie: the model ranked these among its best next tokens, but no item ID "
                              "continues '%1' with them (cumulative log-probability they would have had):\n%2")
                               .arg(QString::fromStdString(m_tree->pathText(n.parent)), cut.join(QLatin1Char('\n'))),
                           this);
        return true;
    }
    case BeamTreeNode::Kind::Root: break;
    }
    QToolTip::showText(help->globalPos(),
                       tr("%1\nstep %2, token %3 '%4'\ncumulative log-probability %5\nID so far: %6%7")
                           .arg(kind)
                           .arg(n.step)
                           .arg(n.token)
                           .arg(readablePiece(n.piece))
                           .arg(n.logProb, 0, 'f', 4)
                           .arg(QString::fromStdString(m_tree->pathText(node)))
                           .arg(n.kind == BeamTreeNode::Kind::Ended ? QString() : tr("\nclick: force this prefix")),
                       this);
    return true;
}

} // namespace idgen::ui
