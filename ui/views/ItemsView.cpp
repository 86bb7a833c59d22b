#include "views/ItemsView.h"

#include "models/ItemTableModel.h"

#include "data/ItemText.h"

namespace idgen::ui {
namespace {

QString valueText(const nlohmann::ordered_json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_array()) {
        QStringList parts;
        for (const auto &element : value)
            parts << valueText(element);
        return parts.join(", ");
    }
    return QString::fromStdString(value.dump());
}

} // namespace

ItemsView::ItemsView(QWidget *parent)
    : RowBrowser(new ItemTableModel, tr("interactions"), tr("Search raw id or any item field…"), QStringLiteral("items.csv"), parent)
{
    setColumnWidths({6, 12, 32, 11});
    setObjectName("itemsView");
}

QString ItemsView::detailHtml(const QModelIndex &index) const
{
    const QString rawId = index.data(DatasetTableModel::RawIdRole).toString();
    QString html = QStringLiteral("<h3>%1</h3><p>").arg(rawId.toHtmlEscaped());
    html += tr("Item #%1 · %2 interactions")
                .arg(index.data(DatasetTableModel::IndexRole).toLongLong())
                .arg(index.data(DatasetTableModel::CountRole).toLongLong());
    html += "</p>";
    const std::string json = index.data(DatasetTableModel::FieldsJsonRole).toString().toStdString();
    if (json.empty())
        return html + tr("<p><i>This item has no metadata: models see only its raw id.</i></p>");
    try {
        const auto fields = nlohmann::ordered_json::parse(json);
        html += "<h4>" + tr("Model text") + "</h4><p>" + QString::fromStdString(renderItemText(fields)).toHtmlEscaped() + "</p>";
        html += "<h4>" + tr("Fields") + "</h4><table cellpadding='3'>";
        for (const auto &[name, value] : fields.items()) {
            html += QStringLiteral("<tr><td valign='top'><b>%1</b></td><td>%2</td></tr>")
                        .arg(QString::fromStdString(name).toHtmlEscaped(), valueText(value).toHtmlEscaped());
        }
        html += "</table>";
    } catch (const std::exception &error) {
        html += tr("<p>The stored fields could not be read: %1</p>").arg(QString::fromUtf8(error.what()).toHtmlEscaped());
    }
    return html;
}

} // namespace idgen::ui
