#include "views/UsersView.h"

#include "store/DatasetRepository.h"
#include "models/UserTableModel.h"

#include <QDateTime>

namespace idgen::ui {
namespace {

// A user with thousands of interactions would make a slow page; the table says what was cut.
constexpr std::int64_t kMaxShown = 2000;

} // namespace

UsersView::UsersView(QWidget *parent)
    : RowBrowser(new UserTableModel, tr("length"), tr("Search user raw id…"), QStringLiteral("users.csv"), parent)
{
    setColumnWidths({6, 24, 14});
    setObjectName("usersView");
}

QString UsersView::detailHtml(const QModelIndex &index) const
{
    const qint64 user = index.data(DatasetTableModel::IndexRole).toLongLong();
    const qint64 length = index.data(DatasetTableModel::CountRole).toLongLong();
    QString html = QStringLiteral("<h3>%1</h3>").arg(index.data(DatasetTableModel::RawIdRole).toString().toHtmlEscaped());
    html += "<p>" + tr("User #%1 · %2 items, oldest first").arg(user).arg(length) + "</p>";
    try {
        const auto sequence = DatasetRepository(*database()).userSequence(datasetId(), user, kMaxShown);
        html += "<table cellpadding='2'><tr><th align='right'>#</th><th align='left'>" + tr("Raw ID") +
                "</th><th align='left'>" + tr("Title") + "</th>";
        const bool timed = !sequence.empty() && sequence.front().timestamp;
        if (timed)
            html += "<th align='left'>" + tr("Time (UTC)") + "</th>";
        html += "</tr>";
        for (std::size_t i = 0; i < sequence.size(); ++i) {
            const auto &entry = sequence[i];
            html += QStringLiteral("<tr><td align='right'>%1</td><td><tt>%2</tt></td><td>%3</td>")
                        .arg(i + 1)
                        .arg(QString::fromStdString(entry.rawId).toHtmlEscaped(),
                             QString::fromStdString(entry.title).toHtmlEscaped());
            if (timed && entry.timestamp)
                html += "<td>" + QDateTime::fromSecsSinceEpoch(*entry.timestamp, Qt::UTC).toString(Qt::ISODate) + "</td>";
            html += "</tr>";
        }
        html += "</table>";
        if (length > kMaxShown)
            html += "<p>" + tr("… and %1 more").arg(length - kMaxShown) + "</p>";
    } catch (const std::exception &error) {
        html += tr("<p>The sequence could not be read: %1</p>").arg(QString::fromUtf8(error.what()).toHtmlEscaped());
    }
    return html;
}

} // namespace idgen::ui
