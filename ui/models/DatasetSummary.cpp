#include "models/DatasetSummary.h"

#include <QLocale>
#include <QObject>
#include <QStringList>

namespace idgen::ui {
namespace {

// One line of the summary: a label and its value, in both renderings.
struct Line {
    QString label;
    QString value;
};

QString number(std::uint64_t value)
{
    return QLocale().toString(static_cast<qulonglong>(value));
}

QString number(std::int64_t value)
{
    return QLocale().toString(static_cast<qlonglong>(value));
}

QString percent(std::int64_t part, std::int64_t whole)
{
    return whole > 0 ? QStringLiteral("%1%").arg(100.0 * static_cast<double>(part) / static_cast<double>(whole), 0, 'f', 1)
                     : QStringLiteral("–");
}

QString tr(const char *text)
{
    return QObject::tr(text);
}

std::vector<Line> countLines(const DatasetInfo &info)
{
    const double density = info.users > 0 && info.items > 0
                               ? static_cast<double>(info.interactions) / (static_cast<double>(info.users) * static_cast<double>(info.items))
                               : 0.0;
    return {
        {tr("Users"), number(info.users)},
        {tr("Items"), number(info.items)},
        {tr("Interactions"), number(info.interactions)},
        {tr("Items with text"), QStringLiteral("%1 (%2)").arg(number(info.itemsWithText), percent(info.itemsWithText, info.items))},
        {tr("Mean sequence length"),
         info.users > 0 ? QString::number(static_cast<double>(info.interactions) / static_cast<double>(info.users), 'f', 2) : "–"},
        {tr("Density"), QString::number(density * 100.0, 'g', 3) + "%"},
        {tr("Timestamps"), info.hasTimestamps ? tr("yes") : tr("no (file order)")},
    };
}

QString kcoreEffect(const ImportReport &r)
{
    if (r.kcore <= 0)
        return tr("none");
    if (r.kcoreRemovedInteractions == 0)
        return QObject::tr("%1-core: nothing removed").arg(r.kcore);
    return QObject::tr("%1-core in %2 passes: removed %3 users, %4 items, %5 interactions")
        .arg(r.kcore)
        .arg(r.kcoreIterations)
        .arg(number(r.kcoreRemovedUsers), number(r.kcoreRemovedItems), number(r.kcoreRemovedInteractions));
}

std::vector<Line> importLines(const DatasetInfo &info)
{
    const ImportReport &r = info.report;
    std::vector<Line> lines = {
        {tr("Format"), QString::fromStdString(info.format)},
        {tr("Rows read"), number(r.interactionRows)},
        {tr("Rows skipped by the format"), number(r.skippedRows)},
        {tr("k-core filter"), kcoreEffect(r)},
    };
    if (r.metadataRecords > 0 || !r.itemsFormat.empty()) {
        lines.push_back({tr("Item records read"), number(r.metadataRecords)});
        lines.push_back({tr("Item records ignored (no interactions)"), number(r.metadataIgnored)});
    }
    lines.push_back({tr("Items without text"), number(r.itemsWithoutText)});
    lines.push_back({tr("Same-timestamp neighbours"), number(r.timestampTies)});
    if (r.seconds > 0)
        lines.push_back({tr("Import time"), QObject::tr("%1 s").arg(r.seconds, 0, 'f', 2)});
    return lines;
}

std::vector<Line> identityLines(const DatasetInfo &info)
{
    return {{tr("Content hash"), QString::fromStdString(info.contentHash)},
            {tr("Created"), QString::fromStdString(info.createdAt)}};
}

// Rows of one section; all sections share one table so their values line up.
QString htmlRows(const QString &title, const std::vector<Line> &lines)
{
    QString html = QStringLiteral("<tr><td colspan='2'><h3>%1</h3></td></tr>").arg(title.toHtmlEscaped());
    for (const auto &line : lines)
        html += QStringLiteral("<tr><td>%1</td><td>&nbsp;&nbsp;<b>%2</b></td></tr>").arg(line.label.toHtmlEscaped(), line.value.toHtmlEscaped());
    return html;
}

QString textBlock(const std::vector<Line> &lines)
{
    qsizetype width = 0;
    for (const auto &line : lines)
        width = std::max(width, line.label.size());
    QString text;
    for (const auto &line : lines)
        text += "  " + line.label.leftJustified(width + 2) + line.value + "\n";
    return text;
}

} // namespace

QString summaryHtml(const DatasetInfo &info)
{
    QString html = QStringLiteral("<h2>%1</h2>").arg(QString::fromStdString(info.name).toHtmlEscaped());
    // Warnings first: they are what an analyst must not miss.
    if (!info.report.warnings.empty()) {
        html += "<p><b>" + QObject::tr("Warnings (%1)").arg(info.report.warnings.size()) + "</b></p><ul>";
        for (const auto &warning : info.report.warnings)
            html += "<li>" + QString::fromStdString(warning).toHtmlEscaped() + "</li>";
        html += "</ul>";
    }
    html += "<table cellspacing='0' cellpadding='3'>" + htmlRows(tr("Counts"), countLines(info)) +
            htmlRows(tr("Import"), importLines(info)) + htmlRows(tr("Identity"), identityLines(info)) + "</table>";
    if (!info.report.files.empty()) {
        html += "<h3>" + tr("Files") + "</h3><ul>";
        for (const auto &file : info.report.files)
            html += "<li><tt>" + QString::fromStdString(file).toHtmlEscaped() + "</tt></li>";
        html += "</ul>";
    }
    return html;
}

QString summaryText(const DatasetInfo &info)
{
    QString text = QObject::tr("dataset '%1'\n").arg(QString::fromStdString(info.name));
    text += tr("counts") + "\n" + textBlock(countLines(info));
    text += tr("import") + "\n" + textBlock(importLines(info));
    for (const auto &file : info.report.files)
        text += "  " + tr("file") + "  " + QString::fromStdString(file) + "\n";
    for (const auto &warning : info.report.warnings)
        text += "  " + tr("warning") + "  " + QString::fromStdString(warning) + "\n";
    text += tr("identity") + "\n" + textBlock(identityLines(info));
    return text;
}

} // namespace idgen::ui
