#include "models/RunTableModel.h"

#include "plot/RunColours.h"

#include <QApplication>
#include <QLocale>

namespace idgen::ui {
namespace {

QVariant metric(const nlohmann::json &metrics, const char *name)
{
    return metrics.contains(name) && metrics[name].is_number() ? QVariant(metrics[name].get<double>()) : QVariant();
}

QString kindText(const std::string &kind)
{
    if (kind == "recommender")
        return QObject::tr("trained");
    if (kind == "alternate")
        return QObject::tr("alternate");
    if (kind == "baseline")
        return QObject::tr("baseline");
    return QString::fromStdString(kind);
}

} // namespace

RunTableModel::RunTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    auto text = [](auto member) { return [member](const RunOverview &r) -> QVariant { return QString::fromStdString(r.*member); }; };
    m_columns = {
        {tr("Run"), tr("Run id (an evaluation's id is prefixed with e)"),
         [](const RunOverview &r) -> QVariant { return r.run > 0 ? QVariant(qlonglong(r.run)) : QVariant(QStringLiteral("e%1").arg(r.evaluation)); }},
        {tr("Name"), tr("The config's name, the baseline model or the evaluated checkpoint"), text(&RunOverview::name)},
        {tr("Kind"), tr("trained (recommender), alternate (IDGenRec rounds), baseline or evaluation"),
         [](const RunOverview &r) -> QVariant { return kindText(r.kind); }},
        {tr("Status"), {}, text(&RunOverview::status)},
        {tr("Snapshot"), tr("The ID snapshot the run trained on"),
         [](const RunOverview &r) -> QVariant { return r.snapshot ? QVariant(qlonglong(*r.snapshot)) : QVariant(); }},
    };
    for (std::size_t c = 0; c < runConfigColumns().size(); ++c) {
        const QString name = QString::fromStdString(runConfigColumns()[c]);
        const QString title = name == "lr" ? tr("LR") : name.left(1).toUpper() + name.mid(1);
        m_columns.push_back({title, tr("From the run's config"), [c](const RunOverview &r) -> QVariant {
                                 const QString value = QString::fromStdString(r.config[c].second);
                                 bool number = false;
                                 const double asNumber = value.toDouble(&number);
                                 return number ? QVariant(asNumber) : QVariant(value);
                             }});
    }
    const std::vector<Column> metrics = {
        {tr("Best HR@10"), tr("Validation HR@10 at the best validation"), [](const RunOverview &r) { return metric(r.bestValid, "hr@10"); }, 4},
        {tr("Best NDCG@10"), tr("Validation NDCG@10 at the best validation"), [](const RunOverview &r) { return metric(r.bestValid, "ndcg@10"); }, 4},
        {tr("Best at"), tr("Round/epoch of the best validation"), [](const RunOverview &r) -> QVariant {
             return r.bestEpoch < 0 ? QVariant() : QVariant(QStringLiteral("%1/%2").arg(r.bestRound).arg(r.bestEpoch + 1));
         }},
        {tr("Last HR@10"), tr("Validation HR@10 at the last validation"), [](const RunOverview &r) { return metric(r.lastValid, "hr@10"); }, 4},
        {tr("Test HR@5"), {}, [](const RunOverview &r) { return metric(r.test, "hr@5"); }, 4},
        {tr("Test HR@10"), {}, [](const RunOverview &r) { return metric(r.test, "hr@10"); }, 4},
        {tr("Test HR@20"), {}, [](const RunOverview &r) { return metric(r.test, "hr@20"); }, 4},
        {tr("Test NDCG@10"), {}, [](const RunOverview &r) { return metric(r.test, "ndcg@10"); }, 4},
        {tr("Steps"), tr("Training steps recorded"), [](const RunOverview &r) -> QVariant { return r.steps > 0 ? QVariant(qlonglong(r.steps)) : QVariant(); }},
        {tr("Device"), {}, text(&RunOverview::device)},
        {tr("Started"), {}, text(&RunOverview::startedAt)},
    };
    m_columns.insert(m_columns.end(), metrics.begin(), metrics.end());
}

void RunTableModel::setRows(std::vector<RunOverview> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int RunTableModel::rowOfRun(std::int64_t run) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].run == run)
            return static_cast<int>(i);
    }
    return -1;
}

int RunTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant RunTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const RunOverview &row = m_rows[static_cast<std::size_t>(index.row())];
    const Column &column = m_columns[static_cast<std::size_t>(index.column())];
    switch (role) {
    case Qt::DisplayRole: {
        const QVariant value = column.value(row);
        if (column.decimals >= 0 && value.isValid())
            return QString::number(value.toDouble(), 'f', column.decimals);
        return value;
    }
    case SortRole: return column.value(row);
    case RunIdRole: return qlonglong(row.run);
    case Qt::DecorationRole:
        if (index.column() == 0 && row.run > 0)
            return runColour(row.run, QApplication::palette());
        return {};
    case Qt::TextAlignmentRole: {
        const QVariant value = column.value(row);
        return value.typeId() == QMetaType::QString ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    case Qt::ToolTipRole:
        if (index.column() == 3 && row.run > 0)
            return QString::fromStdString(row.status);
        return {};
    default: return {};
    }
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    const Column &column = m_columns[static_cast<std::size_t>(section)];
    if (role == Qt::DisplayRole)
        return column.title;
    if (role == Qt::ToolTipRole && !column.tip.isEmpty())
        return column.tip;
    return {};
}

} // namespace idgen::ui
