#pragma once

#include "plot/Smoothing.h"

#include <QColor>
#include <QString>
#include <QWidget>

#include <functional>
#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QMouseEvent;
class QTimer;
class QToolButton;

namespace idgen::ui {

// One curve or bar series. `key` identifies it for live appends; `label` is the legend's text.
struct PlotSeries {
    enum class Style { Line, LinePoints, Bars };

    QString key;
    QString label;
    QColor colour;
    std::vector<double> x;
    std::vector<double> y;
    Style style = Style::Line;
    Qt::PenStyle pen = Qt::SolidLine; // tells apart two metrics of one run (one colour per run)
    bool smoothable = true;           // bars never are
};

// Every plot of the workbench, so they all behave the same: series in stable colours with a
// legend, debiased-EMA or running-average smoothing of the full data with the raw data drawn
// faint beneath, a log y axis, hover read-outs, vertical round-boundary markers, drag and wheel
// zoom (double-click: fit), export to PNG (HiDPI), SVG, PDF with the legend, to the clipboard,
// and CSV of exactly the plotted points. Colours come from the widget's palette.
class PlotWidget : public QWidget {
    Q_OBJECT
public:
    explicit PlotWidget(QWidget *parent = nullptr);
    ~PlotWidget() override;

    void setTitle(const QString &title);
    void setAxisLabels(const QString &x, const QString &y);
    // Ticks on whole multiples of `step` on the x axis (epochs, rounds); 0: automatic.
    void setXTickStep(double step);
    // The legend is shown when there are series (a lone histogram has no need of one).
    void setLegendVisible(bool visible);
    // Hides the smoothing controls (a histogram has nothing to smooth).
    void setSmoothingControlsVisible(bool visible);
    // Shown in the middle of an empty plot.
    void setEmptyText(const QString &text);

    void clear();
    void setSeries(std::vector<PlotSeries> series);
    // Adds a series, or replaces the one with the same key.
    void addSeries(PlotSeries series);
    // Appends a point to the series `key` (ignored when there is none); redraws at most every
    // 100 ms, so a stream of training steps costs the GUI thread little.
    void appendPoint(const QString &key, double x, double y);
    const std::vector<PlotSeries> &series() const { return m_series; }
    // Vertical dashed lines at x, each labelled ("round 2").
    void setMarkers(std::vector<std::pair<double, QString>> markers);

    void setSmoothing(Smoothing::Kind kind, double parameter);
    Smoothing::Kind smoothingKind() const { return m_smoothing; }
    double smoothingParameter() const;
    void setLogY(bool log);
    bool logY() const { return m_logY; }

    // The exports; each returns false (and emits exportFailed) when the file cannot be written.
    // Sizes are the widget's, or 800 x 500 when it was never laid out.
    bool savePng(const QString &file, double scale = 2.0);
    bool saveSvg(const QString &file);
    bool savePdf(const QString &file);
    bool saveCsv(const QString &file);
    // One row per drawn point: series, x, y, and the smoothed y when smoothing is on.
    QString csv() const;
    // The plot as an image (HiDPI) and its CSV as text.
    void copyToClipboard();

    // The read-out shown when hovering at `pixel` (plot coordinates); empty far from any point.
    QString readoutAt(const QPoint &pixel) const;
    // Redraws now instead of at the next coalesced redraw (tests, exports).
    void replotNow();
    QCustomPlot *plot() const { return m_plot; }

Q_SIGNALS:
    void exportFailed(const QString &summary, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    QSize exportSize() const;
    void scheduleReplot();
    void rebuild();
    void applyPalette();
    void updateParameterBox();
    void onMouseMove(QMouseEvent *event);
    void exportWithDialog(const QString &filter, const QString &suffix, const std::function<bool(const QString &)> &save);
    // The y values drawn for a series: smoothed when smoothing applies, else the raw ones.
    std::vector<double> smoothed(const PlotSeries &series) const;
    bool smooths(const PlotSeries &series) const;

    QCustomPlot *m_plot;
    QComboBox *m_smoothingBox;
    QDoubleSpinBox *m_parameterBox;
    QCheckBox *m_logBox;
    QToolButton *m_exportButton;
    QWidget *m_smoothingControls;
    QTimer *m_replotTimer;
    QString m_title;
    QString m_emptyText;
    std::vector<PlotSeries> m_series;
    std::vector<std::pair<double, QString>> m_markers;
    Smoothing::Kind m_smoothing = Smoothing::Kind::Ema;
    double m_emaWeight = 0.6;
    int m_window = 10;
    bool m_logY = false;
    bool m_legend = true;
    bool m_userZoomed = false; // a zoomed or dragged view is kept while points arrive
};

} // namespace idgen::ui
