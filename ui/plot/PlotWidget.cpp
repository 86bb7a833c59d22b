#include "plot/PlotWidget.h"

#include "plot/QCustomPlotInclude.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace idgen::ui {
namespace {

constexpr int kReplotMs = 100;
constexpr int kRawAlpha = 60;        // the raw data beneath a smoothed curve
constexpr double kReadoutPixels = 24; // how near the pointer a point must be to be read out

QVector<double> toVector(const std::vector<double> &values)
{
    return QVector<double>(values.begin(), values.end());
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

} // namespace

PlotWidget::PlotWidget(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_smoothingBox(new QComboBox(this))
    , m_parameterBox(new QDoubleSpinBox(this))
    , m_logBox(new QCheckBox(tr("Log y"), this))
    , m_exportButton(new QToolButton(this))
    , m_smoothingControls(new QWidget(this))
    , m_replotTimer(new QTimer(this))
{
    m_plot->setObjectName("plot");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMinimumSize(200, 140);
    m_plot->legend->setVisible(true);
    m_plot->setNoAntialiasingOnDrag(true);

    m_smoothingBox->setObjectName("smoothing");
    m_smoothingBox->addItem(tr("No smoothing"), static_cast<int>(Smoothing::Kind::None));
    m_smoothingBox->addItem(tr("EMA (debiased)"), static_cast<int>(Smoothing::Kind::Ema));
    m_smoothingBox->addItem(tr("Running average"), static_cast<int>(Smoothing::Kind::RunningAverage));
    m_smoothingBox->setCurrentIndex(m_smoothingBox->findData(static_cast<int>(m_smoothing)));
    m_smoothingBox->setToolTip(tr("Smoothing of the curves; the raw data stays drawn faint beneath"));
    m_parameterBox->setObjectName("smoothingParameter");
    m_logBox->setObjectName("logY");
    m_logBox->setToolTip(tr("Logarithmic y axis"));
    m_exportButton->setObjectName("exportPlot");
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_exportButton);
    menu->addAction(tr("PNG Image…"), this,
                    [this] { exportWithDialog(tr("PNG images (*.png)"), "png", [this](const QString &f) { return savePng(f); }); });
    menu->addAction(tr("SVG Drawing…"), this,
                    [this] { exportWithDialog(tr("SVG drawings (*.svg)"), "svg", [this](const QString &f) { return saveSvg(f); }); });
    menu->addAction(tr("PDF Document…"), this,
                    [this] { exportWithDialog(tr("PDF documents (*.pdf)"), "pdf", [this](const QString &f) { return savePdf(f); }); });
    menu->addAction(tr("CSV of the Plotted Data…"), this,
                    [this] { exportWithDialog(tr("CSV files (*.csv)"), "csv", [this](const QString &f) { return saveCsv(f); }); });
    menu->addSeparator();
    menu->addAction(tr("Copy to Clipboard"), this, &PlotWidget::copyToClipboard);
    m_exportButton->setMenu(menu);

    auto *smoothingLayout = new QHBoxLayout(m_smoothingControls);
    smoothingLayout->setContentsMargins(0, 0, 0, 0);
    smoothingLayout->addWidget(m_smoothingBox);
    smoothingLayout->addWidget(m_parameterBox);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_smoothingControls);
    controls->addWidget(m_logBox);
    controls->addStretch(1);
    controls->addWidget(m_exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);

    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(kReplotMs);
    connect(m_replotTimer, &QTimer::timeout, this, &PlotWidget::replotNow);
    connect(m_smoothingBox, &QComboBox::currentIndexChanged, this, [this] {
        setSmoothing(static_cast<Smoothing::Kind>(m_smoothingBox->currentData().toInt()), smoothingParameter());
    });
    connect(m_parameterBox, &QDoubleSpinBox::valueChanged, this, [this](double value) { setSmoothing(m_smoothing, value); });
    connect(m_logBox, &QCheckBox::toggled, this, &PlotWidget::setLogY);
    connect(m_plot, &QCustomPlot::mouseMove, this, &PlotWidget::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_userZoomed = true; });
    connect(m_plot, &QCustomPlot::mousePress, this, [this] { m_userZoomed = true; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        m_userZoomed = false;
        replotNow();
    });
    updateParameterBox();
    applyPalette();
    rebuild();
}

PlotWidget::~PlotWidget() = default;

void PlotWidget::setTitle(const QString &title)
{
    m_title = title;
    scheduleReplot();
}

void PlotWidget::setAxisLabels(const QString &x, const QString &y)
{
    m_plot->xAxis->setLabel(x);
    m_plot->yAxis->setLabel(y);
    scheduleReplot();
}

void PlotWidget::setXTickStep(double step)
{
    if (step > 0) {
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        ticker->setTickStep(step);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples); // 1, 2, 5, 10 epochs apart when zoomed out
        m_plot->xAxis->setTicker(ticker);
    } else {
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    scheduleReplot();
}

void PlotWidget::setLegendVisible(bool visible)
{
    m_legend = visible;
    scheduleReplot();
}

void PlotWidget::setSmoothingControlsVisible(bool visible)
{
    m_smoothingControls->setVisible(visible);
}

void PlotWidget::setEmptyText(const QString &text)
{
    m_emptyText = text;
    scheduleReplot();
}

void PlotWidget::clear()
{
    m_series.clear();
    m_markers.clear();
    m_userZoomed = false;
    scheduleReplot();
}

void PlotWidget::setSeries(std::vector<PlotSeries> series)
{
    m_series = std::move(series);
    m_userZoomed = false;
    scheduleReplot();
}

void PlotWidget::addSeries(PlotSeries series)
{
    const auto same = std::find_if(m_series.begin(), m_series.end(), [&](const PlotSeries &s) { return s.key == series.key; });
    if (same != m_series.end())
        *same = std::move(series);
    else
        m_series.push_back(std::move(series));
    scheduleReplot();
}

void PlotWidget::appendPoint(const QString &key, double x, double y)
{
    for (PlotSeries &series : m_series) {
        if (series.key == key) {
            series.x.push_back(x);
            series.y.push_back(y);
            scheduleReplot();
            return;
        }
    }
}

void PlotWidget::setMarkers(std::vector<std::pair<double, QString>> markers)
{
    m_markers = std::move(markers);
    scheduleReplot();
}

void PlotWidget::setSmoothing(Smoothing::Kind kind, double parameter)
{
    const bool kindChanged = kind != m_smoothing;
    m_smoothing = kind;
    if (!kindChanged) {
        if (kind == Smoothing::Kind::Ema)
            m_emaWeight = std::clamp(parameter, 0.0, 0.999);
        else if (kind == Smoothing::Kind::RunningAverage)
            m_window = std::max(1, static_cast<int>(std::lround(parameter)));
    }
    {
        const QSignalBlocker blocker(m_smoothingBox);
        m_smoothingBox->setCurrentIndex(m_smoothingBox->findData(static_cast<int>(kind)));
    }
    updateParameterBox();
    scheduleReplot();
}

double PlotWidget::smoothingParameter() const
{
    return m_smoothing == Smoothing::Kind::RunningAverage ? m_window : m_emaWeight;
}

void PlotWidget::updateParameterBox()
{
    const QSignalBlocker blocker(m_parameterBox);
    const bool window = m_smoothing == Smoothing::Kind::RunningAverage;
    m_parameterBox->setVisible(m_smoothing != Smoothing::Kind::None);
    m_parameterBox->setDecimals(window ? 0 : 2);
    m_parameterBox->setRange(window ? 1 : 0, window ? 10000 : 0.99);
    m_parameterBox->setSingleStep(window ? 1 : 0.05);
    m_parameterBox->setPrefix(window ? tr("window ") : tr("weight "));
    m_parameterBox->setValue(smoothingParameter());
}

void PlotWidget::setLogY(bool log)
{
    m_logY = log;
    {
        const QSignalBlocker blocker(m_logBox);
        m_logBox->setChecked(log);
    }
    if (log) {
        m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    } else {
        m_plot->yAxis->setScaleType(QCPAxis::stLinear);
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    m_userZoomed = false;
    scheduleReplot();
}

bool PlotWidget::smooths(const PlotSeries &series) const
{
    return m_smoothing != Smoothing::Kind::None && series.smoothable && series.style != PlotSeries::Style::Bars;
}

std::vector<double> PlotWidget::smoothed(const PlotSeries &series) const
{
    if (!smooths(series))
        return series.y;
    return Smoothing::apply(m_smoothing, series.y, smoothingParameter());
}

void PlotWidget::scheduleReplot()
{
    if (!m_replotTimer->isActive())
        m_replotTimer->start();
}

void PlotWidget::replotNow()
{
    m_replotTimer->stop();
    rebuild();
}

// Plottables are rebuilt from the series on every redraw: a handful of series of at most some
// 100k points, smoothed in well under a millisecond each, and nothing can go stale.
void PlotWidget::rebuild()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    const QPalette &pal = palette();
    for (const PlotSeries &series : m_series) {
        const QVector<double> keys = toVector(series.x);
        if (series.style == PlotSeries::Style::Bars) {
            auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
            bars->setName(series.label);
            bars->setPen(Qt::NoPen);
            bars->setBrush(series.colour);
            double width = 1.0;
            for (std::size_t i = 1; i < series.x.size(); ++i)
                width = i == 1 ? series.x[1] - series.x[0] : std::min(width, series.x[i] - series.x[i - 1]);
            bars->setWidth(width * 0.85);
            bars->setData(keys, toVector(series.y), true);
            continue;
        }
        const bool smooth = smooths(series);
        auto *raw = m_plot->addGraph();
        QColor rawColour = series.colour;
        if (smooth)
            rawColour.setAlpha(kRawAlpha);
        raw->setPen(QPen(rawColour, smooth ? 1.0 : 1.6, series.pen));
        raw->setName(series.label);
        if (series.style == PlotSeries::Style::LinePoints)
            raw->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, rawColour, 5));
        raw->setData(keys, toVector(series.y), true);
        if (!smooth)
            continue;
        raw->removeFromLegend();
        raw->setProperty("raw", true);
        auto *curve = m_plot->addGraph();
        curve->setPen(QPen(series.colour, 1.8, series.pen));
        curve->setName(series.label);
        if (series.style == PlotSeries::Style::LinePoints)
            curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, series.colour, 5));
        curve->setData(keys, toVector(smoothed(series)), true);
    }
    m_plot->legend->setVisible(m_legend && !m_series.empty());

    const QColor markerColour = pal.color(QPalette::PlaceholderText);
    for (const auto &[x, label] : m_markers) {
        auto *line = new QCPItemStraightLine(m_plot);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        line->setPen(QPen(markerColour, 1, Qt::DashLine));
        auto *text = new QCPItemText(m_plot);
        text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(x, 0.0);
        text->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
        text->setPadding(QMargins(3, 2, 3, 2));
        text->setColor(markerColour);
        text->setText(label);
    }
    if (m_series.empty() && !m_emptyText.isEmpty()) {
        auto *text = new QCPItemText(m_plot);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setColor(pal.color(QPalette::PlaceholderText));
        text->setText(m_emptyText);
    }

    // The title lives in its own layout row, created on first use.
    auto *title = m_plot->plotLayout()->rowCount() > 1 ? qobject_cast<QCPTextElement *>(m_plot->plotLayout()->element(0, 0)) : nullptr;
    if (!m_title.isEmpty() && !title) {
        m_plot->plotLayout()->insertRow(0);
        title = new QCPTextElement(m_plot, m_title, QFont(font().family(), font().pointSize() + 1, QFont::Bold));
        m_plot->plotLayout()->addElement(0, 0, title);
    }
    if (title) {
        title->setText(m_title);
        title->setTextColor(pal.color(QPalette::Text));
    }
    if (!m_userZoomed) {
        m_plot->rescaleAxes();
        // Some air above and below, and a flat series still gets a visible range.
        const QCPRange y = m_plot->yAxis->range();
        if (!m_logY) {
            const double pad = y.size() > 0 ? y.size() * 0.05 : std::max(1e-9, std::abs(y.center()) * 0.05 + 0.5);
            m_plot->yAxis->setRange(y.lower - pad, y.upper + pad);
        }
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlotWidget::applyPalette()
{
    const QPalette &pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    m_plot->setBackground(base);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    }
    QColor legendBase = base;
    legendBase.setAlpha(210);
    m_plot->legend->setBrush(legendBase);
    m_plot->legend->setBorderPen(QPen(grid));
    m_plot->legend->setTextColor(text);
    scheduleReplot();
}

void PlotWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

QString PlotWidget::readoutAt(const QPoint &pixel) const
{
    const PlotSeries *best = nullptr;
    std::size_t bestIndex = 0;
    double bestDistance = kReadoutPixels;
    std::vector<double> bestDrawn;
    for (const PlotSeries &series : m_series) {
        if (series.x.empty())
            continue;
        const std::vector<double> drawn = smoothed(series);
        // x is ascending: look at the points nearest in x only.
        const double x = m_plot->xAxis->pixelToCoord(pixel.x());
        const auto at = std::lower_bound(series.x.begin(), series.x.end(), x);
        const auto from = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, at - series.x.begin() - 2));
        const std::size_t to = std::min(series.x.size(), from + 4);
        for (std::size_t i = from; i < to; ++i) {
            const double dx = m_plot->xAxis->coordToPixel(series.x[i]) - pixel.x();
            const double dy = m_plot->yAxis->coordToPixel(drawn[i]) - pixel.y();
            const double distance = std::hypot(dx, dy);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = &series;
                bestIndex = i;
                bestDrawn = drawn;
            }
        }
    }
    if (!best)
        return {};
    QString text = QStringLiteral("%1\n%2: %3\n%4: %5")
                       .arg(best->label, m_plot->xAxis->label().isEmpty() ? QStringLiteral("x") : m_plot->xAxis->label(),
                            number(best->x[bestIndex]),
                            m_plot->yAxis->label().isEmpty() ? QStringLiteral("y") : m_plot->yAxis->label(),
                            number(bestDrawn[bestIndex]));
    if (smooths(*best))
        text += tr(" (smoothed; raw %1)").arg(number(best->y[bestIndex]));
    return text;
}

void PlotWidget::onMouseMove(QMouseEvent *event)
{
    const QString text = readoutAt(event->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

} // namespace idgen::ui
