#include "widgets/ErrorBanner.h"

#include "Style.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace idgen::ui {

ErrorBanner::ErrorBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_message(new QLabel(this))
    , m_detailsButton(new QPushButton(tr("Details"), this))
    , m_details(new QPlainTextEdit(this))
{
    setObjectName("errorBanner");
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(24, 24));
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setTextFormat(Qt::PlainText);
    m_detailsButton->setCheckable(true);
    m_details->setReadOnly(true);
    m_details->setMaximumHeight(140);
    m_details->hide();
    auto *dismissButton = new QPushButton(tr("Dismiss"), this);
    dismissButton->setObjectName("dismissError");

    auto *text = new QVBoxLayout;
    text->addWidget(m_summary);
    text->addWidget(m_message);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(dismissButton);
    buttons->addWidget(m_detailsButton);
    buttons->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_icon, 0, Qt::AlignTop);
    row->addLayout(text, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_details);

    connect(m_detailsButton, &QPushButton::toggled, m_details, &QWidget::setVisible);
    connect(dismissButton, &QPushButton::clicked, this, &ErrorBanner::dismiss);
    applyColours();
    hide();
}

void ErrorBanner::showError(const QString &summary, const QString &message, const QString &details)
{
    m_summary->setText(summary);
    m_message->setText(message);
    m_details->setPlainText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    m_detailsButton->setChecked(false);
    show();
}

QString ErrorBanner::message() const
{
    return m_message->text();
}

void ErrorBanner::dismiss()
{
    hide();
    Q_EMIT dismissed();
}

void ErrorBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyColours();
}

void ErrorBanner::applyColours()
{
    // Only the background is tinted; setting it triggers PaletteChange, so guard re-entry.
    const QColor wanted = style::errorBackground(parentWidget() ? parentWidget()->palette() : palette());
    if (palette().color(QPalette::Window) == wanted)
        return;
    QPalette tinted = palette();
    tinted.setColor(QPalette::Window, wanted);
    setPalette(tinted);
}

} // namespace idgen::ui
