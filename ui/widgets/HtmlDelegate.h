#pragma once

#include <QStyledItemDelegate>

namespace idgen::ui {

// Draws a cell's kHtmlRole (models/WordChangesHtml.h) as rich text when the model gives one, and
// the plain display text otherwise: IDs with their changed words marked.
class HtmlDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace idgen::ui
