#include "plot/LengthHistogram.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>

namespace idgen::ui {
namespace {

constexpr int kMaxBins = 48;

} // namespace

LengthHistogram::LengthHistogram(QWidget *parent)
    : QWidget(parent)
{
    setToolTip(tr("Users per sequence length"));
}

void LengthHistogram::setCounts(std::vector<qint64> counts)
{
    m_bins.clear();
    m_maxUsers = 0;
    int first = 0;
    while (first < static_cast<int>(counts.size()) && counts[static_cast<std::size_t>(first)] == 0)
        ++first;
    const int last = static_cast<int>(counts.size()) - 1;
    if (first <= last) {
        // Long tails are binned so that the bars stay wide enough to see.
        const int width = std::max(1, (last - first + kMaxBins) / kMaxBins);
        for (int from = first; from <= last; from += width) {
            Bin bin{from, std::min(last, from + width - 1), 0};
            for (int length = bin.from; length <= bin.to; ++length)
                bin.users += counts[static_cast<std::size_t>(length)];
            m_maxUsers = std::max(m_maxUsers, bin.users);
            m_bins.push_back(bin);
        }
    }
    update();
}

void LengthHistogram::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    const QFontMetrics metrics(font());
    const int line = metrics.height();
    painter.setPen(pal.color(QPalette::Text));
    painter.drawText(QRect(0, 4, width(), line), Qt::AlignHCenter, tr("Users per sequence length"));
    if (m_bins.empty() || m_maxUsers == 0) {
        painter.drawText(rect(), Qt::AlignCenter, tr("no users"));
        return;
    }
    const int left = metrics.horizontalAdvance(QLocale().toString(m_maxUsers)) + 10;
    const QRect plot(left, line + 10, width() - left - 10, height() - 2 * line - 22);
    if (plot.width() < 10 || plot.height() < 10)
        return;

    const double barWidth = static_cast<double>(plot.width()) / static_cast<double>(m_bins.size());
    const QColor bar = pal.color(QPalette::Highlight);
    for (std::size_t i = 0; i < m_bins.size(); ++i) {
        const double h = static_cast<double>(plot.height()) * static_cast<double>(m_bins[i].users) / static_cast<double>(m_maxUsers);
        const QRectF r(plot.left() + static_cast<double>(i) * barWidth + 0.5, plot.bottom() - h, std::max(1.0, barWidth - 1.0), h);
        painter.fillRect(r, bar);
    }
    painter.setPen(pal.color(QPalette::Text));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    painter.drawLine(plot.bottomLeft(), plot.topLeft());
    painter.drawText(QRect(0, plot.top() - line / 2, left - 6, line), Qt::AlignRight, QLocale().toString(m_maxUsers));
    painter.drawText(QRect(0, plot.bottom() - line / 2, left - 6, line), Qt::AlignRight, QStringLiteral("0"));
    const QRect axis(plot.left(), plot.bottom() + 4, plot.width(), line);
    painter.drawText(axis, Qt::AlignLeft, QString::number(m_bins.front().from));
    painter.drawText(axis, Qt::AlignRight, QString::number(m_bins.back().to));
    painter.drawText(axis, Qt::AlignHCenter, tr("length"));
}

} // namespace idgen::ui
