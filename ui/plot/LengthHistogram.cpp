#include "plot/LengthHistogram.h"

#include <algorithm>

namespace idgen::ui {
namespace {

constexpr int kMaxBins = 48;

} // namespace

LengthHistogram::LengthHistogram(QWidget *parent)
    : PlotWidget(parent)
{
    setObjectName("lengthHistogram");
    setTitle(tr("Users per sequence length"));
    setAxisLabels(tr("length"), tr("users"));
    setSmoothingControlsVisible(false);
    setLegendVisible(false); // the title says what the bars count
    setEmptyText(tr("no users"));
}

void LengthHistogram::setCounts(std::vector<qint64> counts)
{
    int first = 0;
    while (first < static_cast<int>(counts.size()) && counts[static_cast<std::size_t>(first)] == 0)
        ++first;
    const int last = static_cast<int>(counts.size()) - 1;
    if (first > last) {
        clear();
        return;
    }
    // Long tails are binned so that the bars stay wide enough to see; a bar stands at its
    // bin's first length.
    const int width = std::max(1, (last - first + kMaxBins) / kMaxBins);
    PlotSeries bars;
    bars.key = QStringLiteral("users");
    bars.label = tr("users");
    setTitle(width == 1 ? tr("Users per sequence length") : tr("Users per sequence length (bins of %1)").arg(width));
    bars.colour = palette().color(QPalette::Highlight);
    bars.style = PlotSeries::Style::Bars;
    bars.smoothable = false;
    for (int from = first; from <= last; from += width) {
        qint64 users = 0;
        for (int length = from; length <= std::min(last, from + width - 1); ++length)
            users += counts[static_cast<std::size_t>(length)];
        bars.x.push_back(from);
        bars.y.push_back(static_cast<double>(users));
    }
    setSeries({std::move(bars)});
}

} // namespace idgen::ui
