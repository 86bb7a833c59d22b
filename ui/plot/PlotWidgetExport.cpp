// PlotWidget's exports: images, vector drawings, the plotted data.
#include "plot/PlotWidget.h"

#include "plot/QCustomPlotInclude.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSvgGenerator>

namespace idgen::ui {
namespace {

QString csvField(const QString &text)
{
    if (!text.contains(',') && !text.contains('"') && !text.contains('\n'))
        return text;
    return '"' + QString(text).replace('"', QStringLiteral("\"\"")) + '"';
}

QString csvNumber(double value)
{
    return QString::number(value, 'g', 17); // round-trips exactly
}

} // namespace

QSize PlotWidget::exportSize() const
{
    // A plot never laid out (a test, a hidden tab) still exports at a readable size.
    const QSize size = m_plot->size();
    return size.width() >= 100 && size.height() >= 80 ? size : QSize(800, 500);
}

bool PlotWidget::savePng(const QString &file, double scale)
{
    replotNow();
    const QSize size = exportSize();
    if (m_plot->savePng(file, size.width(), size.height(), scale))
        return true;
    Q_EMIT exportFailed(tr("Could not export the plot"), tr("could not write the PNG image %1").arg(QDir::toNativeSeparators(file)));
    return false;
}

bool PlotWidget::saveSvg(const QString &file)
{
    replotNow();
    const QSize size = exportSize();
    QSvgGenerator generator;
    generator.setFileName(file);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(m_title);
    {
        QCPPainter painter;
        if (painter.begin(&generator)) {
            m_plot->toPainter(&painter, size.width(), size.height());
            painter.end();
        }
    }
    // QSvgGenerator reports no errors: check that a file with a drawing appeared.
    if (QFileInfo(file).size() > 0)
        return true;
    Q_EMIT exportFailed(tr("Could not export the plot"), tr("could not write the SVG drawing %1").arg(QDir::toNativeSeparators(file)));
    return false;
}

bool PlotWidget::savePdf(const QString &file)
{
    replotNow();
    const QSize size = exportSize();
    if (m_plot->savePdf(file, size.width(), size.height(), QCP::epNoCosmetic, QStringLiteral("IDGenRec Workbench"), m_title))
        return true;
    Q_EMIT exportFailed(tr("Could not export the plot"), tr("could not write the PDF document %1").arg(QDir::toNativeSeparators(file)));
    return false;
}

QString PlotWidget::csv() const
{
    bool anySmoothed = false;
    for (const PlotSeries &series : m_series)
        anySmoothed = anySmoothed || smooths(series);
    QString out = QStringLiteral("series,x,y");
    if (anySmoothed)
        out += QStringLiteral(",smoothed");
    out += '\n';
    for (const PlotSeries &series : m_series) {
        const bool smooth = smooths(series);
        const std::vector<double> drawn = smoothed(series);
        const QString name = csvField(series.label);
        for (std::size_t i = 0; i < series.x.size(); ++i) {
            out += name + ',' + csvNumber(series.x[i]) + ',' + csvNumber(series.y[i]);
            if (anySmoothed)
                out += ',' + (smooth ? csvNumber(drawn[i]) : QString());
            out += '\n';
        }
    }
    return out;
}

bool PlotWidget::saveCsv(const QString &file)
{
    QSaveFile out(file);
    if (out.open(QIODevice::WriteOnly | QIODevice::Text) && out.write(csv().toUtf8()) >= 0 && out.commit())
        return true;
    Q_EMIT exportFailed(tr("Could not export the plot's data"),
                        tr("could not write %1: %2").arg(QDir::toNativeSeparators(file), out.errorString()));
    return false;
}

void PlotWidget::copyToClipboard()
{
    replotNow();
    const QSize size = exportSize();
    auto *mime = new QMimeData;
    mime->setImageData(m_plot->toPixmap(size.width(), size.height(), std::max(2.0, devicePixelRatioF())).toImage());
    mime->setText(csv());
    QApplication::clipboard()->setMimeData(mime);
}

void PlotWidget::exportWithDialog(const QString &filter, const QString &suffix, const std::function<bool(const QString &)> &save)
{
    QSettings settings;
    const QString folder = settings.value("plot/exportFolder", QDir::homePath()).toString();
    const QString name = (m_title.isEmpty() ? QStringLiteral("plot") : m_title).replace(QRegularExpression("[^A-Za-z0-9._-]+"), "-");
    QString file = QFileDialog::getSaveFileName(this, tr("Export Plot"), QDir(folder).filePath(name + '.' + suffix), filter);
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += '.' + suffix;
    settings.setValue("plot/exportFolder", QFileInfo(file).absolutePath());
    save(file);
}

} // namespace idgen::ui
