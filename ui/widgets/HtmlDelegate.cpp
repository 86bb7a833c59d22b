#include "widgets/HtmlDelegate.h"

#include "models/WordChangesHtml.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QTextDocument>

namespace idgen::ui {
namespace {

void prepare(QTextDocument &document, const QStyleOptionViewItem &option, const QString &html)
{
    document.setDefaultFont(option.font);
    document.setDocumentMargin(2);
    document.setHtml(html);
}

} // namespace

void HtmlDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant html = index.data(kHtmlRole);
    if (!html.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    item.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &item, painter, widget);

    QTextDocument document;
    prepare(document, option, html.toString());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = option.palette;
    if (option.state & QStyle::State_Selected)
        context.palette.setColor(QPalette::Text, option.palette.color(QPalette::HighlightedText));
    const QRect area = style->subElementRect(QStyle::SE_ItemViewItemText, &item, widget);
    painter->save();
    painter->translate(area.topLeft());
    painter->setClipRect(area.translated(-area.topLeft()));
    painter->translate(0, (area.height() - document.size().height()) / 2.0);
    document.documentLayout()->draw(painter, context);
    painter->restore();
}

QSize HtmlDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant html = index.data(kHtmlRole);
    if (!html.isValid())
        return QStyledItemDelegate::sizeHint(option, index);
    QTextDocument document;
    prepare(document, option, html.toString());
    return {static_cast<int>(document.idealWidth()) + 8, static_cast<int>(document.size().height())};
}

} // namespace idgen::ui
