// The common plot widget: smoothing against hand-computed values, exports written and the CSV
// equal to what is drawn, hover read-outs, stable run colours, the histogram on the plot.
#include "plot/LengthHistogram.h"
#include "plot/PlotWidget.h"
#include "plot/QCustomPlotInclude.h"
#include "plot/RunColours.h"
#include "plot/Smoothing.h"
#include "support/TestSupport.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QImage>
#include <QMimeData>

#include <cmath>
#include <limits>
#include <map>
#include <set>

using namespace idgen;
using namespace idgen::ui;

namespace {

void compareValues(const std::vector<double> &actual, const std::vector<double> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        if (std::isnan(expected[i]))
            QVERIFY2(std::isnan(actual[i]), qPrintable(QString("value %1").arg(i)));
        else
            QVERIFY2(std::abs(actual[i] - expected[i]) < 1e-12, qPrintable(QString("value %1: %2 != %3").arg(i).arg(actual[i]).arg(expected[i])));
    }
}

// Rows of the plot's CSV by series: (x, y, smoothed or NaN).
struct CsvRow {
    double x, y, smoothed;
};
std::map<QString, std::vector<CsvRow>> parseCsv(const QString &csv)
{
    std::map<QString, std::vector<CsvRow>> rows;
    const QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList f = lines[i].split(',');
        rows[f[0]].push_back({f[1].toDouble(), f[2].toDouble(),
                              f.size() > 3 && !f[3].isEmpty() ? f[3].toDouble() : std::numeric_limits<double>::quiet_NaN()});
    }
    return rows;
}

std::vector<std::pair<double, double>> graphPoints(const QCPGraph *graph)
{
    std::vector<std::pair<double, double>> points;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        points.emplace_back(it->key, it->value);
    return points;
}

PlotSeries series(const QString &label, std::int64_t run, std::vector<double> x, std::vector<double> y)
{
    PlotSeries s;
    s.key = label;
    s.label = label;
    s.colour = runColour(run, QApplication::palette());
    s.x = std::move(x);
    s.y = std::move(y);
    return s;
}

} // namespace

class TestPlots : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void debiasedEmaMatchesHandComputedValues()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        // w = 0.5: m = 0.5, 1.25, 2.125; 1 - w^t = 0.5, 0.75, 0.875.
        compareValues(Smoothing::debiasedEma(std::vector<double>{1, 2, 3}, 0.5), {1.0, 5.0 / 3.0, 17.0 / 7.0});
        // A NaN passes through and leaves the state alone: m = 0.5 then 0.25 + 1.5.
        compareValues(Smoothing::debiasedEma(std::vector<double>{1, nan, 3}, 0.5), {1.0, nan, 1.75 / 0.75});
        // w = 0.9: the first point is the value itself (debiased), the second 0.09 + 0.1*... / 0.19.
        compareValues(Smoothing::debiasedEma(std::vector<double>{10, 0}, 0.9), {10.0, 0.9 / 0.19});
        compareValues(Smoothing::debiasedEma(std::vector<double>{4, -2, 7}, 0.0), {4, -2, 7});
        QVERIFY(Smoothing::debiasedEma(std::vector<double>{}, 0.6).empty());
    }

    void runningAverageMatchesHandComputedValues()
    {
        compareValues(Smoothing::runningAverage(std::vector<double>{1, 2, 3, 4}, 2), {1, 1.5, 2.5, 3.5});
        compareValues(Smoothing::runningAverage(std::vector<double>{2, 4, 6, 8, 10}, 3), {2, 3, 4, 6, 8});
        compareValues(Smoothing::runningAverage(std::vector<double>{5, 1}, 1), {5, 1});
        const double nan = std::numeric_limits<double>::quiet_NaN();
        compareValues(Smoothing::runningAverage(std::vector<double>{2, nan, 4, 6}, 2), {2, nan, 3, 5});
        compareValues(Smoothing::apply(Smoothing::Kind::RunningAverage, std::vector<double>{1, 3}, 2.0), {1, 2});
        compareValues(Smoothing::apply(Smoothing::Kind::None, std::vector<double>{1, 3}, 0.5), {1, 3});
    }

    void runColoursAreStableAndDistinct()
    {
        const QPalette palette = QApplication::palette();
        QCOMPARE(runColour(3, palette), runColour(3, palette));
        std::set<QRgb> seen;
        for (std::int64_t run = 1; run <= 10; ++run)
            seen.insert(runColour(run, palette).rgb());
        QCOMPARE(seen.size(), std::size_t(10));
        QVERIFY(runColour(1, palette) != runColour(11, palette)); // the second cycle is shaded
    }

    void exportsAreWrittenAndTheCsvIsWhatIsDrawn()
    {
        test::Scratch scratch;
        PlotWidget plot;
        plot.resize(640, 400);
        plot.show();
        plot.setTitle("HR@10");
        plot.setAxisLabels("epoch", "HR@10");
        plot.setSmoothing(Smoothing::Kind::Ema, 0.5);
        plot.setSeries({series("run 1", 1, {1, 2, 3, 4}, {0.1, 0.3, 0.2, 0.4}),
                        series("run 2, baseline", 2, {1, 2, 3}, {0.05, 0.15, 0.25})});
        plot.setMarkers({{2.5, "round 2"}});
        plot.replotNow();

        const QString png = QString::fromStdString(scratch.path("plot.png").string());
        const QString svg = QString::fromStdString(scratch.path("plot.svg").string());
        const QString pdf = QString::fromStdString(scratch.path("plot.pdf").string());
        const QString csv = QString::fromStdString(scratch.path("plot.csv").string());
        QVERIFY(plot.savePng(png, 2.0));
        QVERIFY(plot.saveSvg(svg));
        QVERIFY(plot.savePdf(pdf));
        QVERIFY(plot.saveCsv(csv));
        const QImage image(png);
        QCOMPARE(image.width(), 2 * plot.plot()->width()); // HiDPI
        QVERIFY(QFileInfo(pdf).size() > 1000);
        const std::string drawing = test::readFile(scratch.path("plot.svg"));
        QVERIFY(drawing.find("<svg") != std::string::npos);
        QVERIFY(drawing.find("baseline") != std::string::npos); // the legend went with it

        // The CSV holds exactly the drawn points: raw (faint) graphs and smoothed ones.
        const QString text = QString::fromStdString(test::readFile(scratch.path("plot.csv")));
        QCOMPARE(text, plot.csv());
        QVERIFY(text.startsWith("series,x,y,smoothed\n"));
        QVERIFY(text.contains("\"run 2, baseline\",")); // quoted
        std::map<QString, std::vector<CsvRow>> rows;
        for (const auto &[name, values] : parseCsv(QString(text).replace("\"run 2, baseline\"", "run 2 baseline")))
            rows[name] = values;
        int rawGraphs = 0;
        int smoothGraphs = 0;
        for (int i = 0; i < plot.plot()->graphCount(); ++i) {
            const QCPGraph *graph = plot.plot()->graph(i);
            const QString name = QString(graph->name()).remove(',');
            QVERIFY2(rows.count(name), qPrintable(name));
            const bool raw = graph->property("raw").toBool();
            (raw ? rawGraphs : smoothGraphs)++;
            const auto points = graphPoints(graph);
            const auto &expected = rows[name];
            QCOMPARE(points.size(), expected.size());
            for (std::size_t p = 0; p < points.size(); ++p) {
                QCOMPARE(points[p].first, expected[p].x);
                QCOMPARE(points[p].second, raw ? expected[p].y : expected[p].smoothed);
            }
        }
        QCOMPARE(rawGraphs, 2);
        QCOMPARE(smoothGraphs, 2);
        QVERIFY(std::abs(rows["run 1"][1].smoothed - 0.175 / 0.75) < 1e-12); // (0.5 * 0.05 + 0.15) / 0.75
        QCOMPARE(plot.plot()->itemCount(), 2); // the round marker and its label

        // Without smoothing the CSV has no smoothed column and one graph per series.
        plot.setSmoothing(Smoothing::Kind::None, 0);
        plot.replotNow();
        QVERIFY(plot.csv().startsWith("series,x,y\n"));
        QCOMPARE(plot.plot()->graphCount(), 2);

        plot.copyToClipboard();
        const QMimeData *copied = QApplication::clipboard()->mimeData();
        QVERIFY(copied && copied->hasImage());
        QCOMPARE(copied->text(), plot.csv());

        // An unwritable file fails with a message instead of silently.
        QSignalSpy failed(&plot, &PlotWidget::exportFailed);
        QVERIFY(!plot.saveCsv(QString::fromStdString(scratch.path("missing/folder/plot.csv").string())));
        QCOMPARE(failed.count(), 1);
    }

    void hoverReadsOutTheNearestPoint()
    {
        PlotWidget plot;
        plot.resize(640, 400);
        plot.show();
        plot.setAxisLabels("step", "loss");
        plot.setSmoothing(Smoothing::Kind::None, 0);
        plot.setSeries({series("run 7", 7, {0, 10, 20}, {4.0, 2.5, 1.0})});
        plot.replotNow();
        QCustomPlot *qcp = plot.plot();
        qcp->replot();
        const QPoint at(qRound(qcp->xAxis->coordToPixel(10)), qRound(qcp->yAxis->coordToPixel(2.5)));
        const QString readout = plot.readoutAt(at + QPoint(3, -2));
        QVERIFY2(readout.contains("run 7") && readout.contains("step: 10") && readout.contains("loss: 2.5"), qPrintable(readout));
        QVERIFY(plot.readoutAt(QPoint(at.x(), at.y() + 150)).isEmpty());

        plot.setLogY(true);
        plot.replotNow();
        QCOMPARE(qcp->yAxis->scaleType(), QCPAxis::stLogarithmic);
    }

    void liveAppendsRedrawCoalesced()
    {
        PlotWidget plot;
        plot.setSeries({series("loss", 1, {}, {})});
        for (int step = 1; step <= 500; ++step)
            plot.appendPoint("loss", step, 1.0 / step);
        plot.appendPoint("unknown", 1, 1); // ignored
        QCOMPARE(plot.series().front().x.size(), std::size_t(500));
        // The redraw comes on the coalescing timer, once, with every point.
        QCOMPARE(plot.plot()->graphCount(), 0);
        QTRY_VERIFY(plot.plot()->graphCount() == 2 && plot.plot()->graph(1)->data()->size() == 500);
    }

    void histogramBinsLengthsOnThePlot()
    {
        LengthHistogram histogram;
        histogram.setCounts({0, 0, 3, 5, 0, 1});
        histogram.replotNow();
        QCOMPARE(histogram.series().size(), std::size_t(1));
        const PlotSeries &bars = histogram.series().front();
        QCOMPARE(bars.x, (std::vector<double>{2, 3, 4, 5}));
        QCOMPARE(bars.y, (std::vector<double>{3, 5, 0, 1}));
        QCOMPARE(histogram.plot()->plottableCount(), 1);
        QVERIFY(histogram.csv().contains("users,3,5"));
        histogram.setCounts({});
        QVERIFY(histogram.series().empty());
    }
};

QTEST_MAIN(TestPlots)
#include "test_plots.moc"
