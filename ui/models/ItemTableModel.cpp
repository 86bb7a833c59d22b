#include "models/ItemTableModel.h"

#include "data/ItemText.h"

namespace idgen::ui {
namespace {

// The table shows a line of text; the detail pane shows all of it.
constexpr std::size_t kTextPreviewChars = 240;

QString renderedPreview(const std::string &fieldsJson)
{
    if (fieldsJson.empty())
        return {};
    try {
        ItemTextOptions options;
        options.maxChars = kTextPreviewChars;
        return QString::fromStdString(renderItemText(ItemFields::parse(fieldsJson), options));
    } catch (const std::exception &) {
        return {}; // the detail pane reports unreadable fields
    }
}

class ItemSource final : public RowSource {
public:
    std::int64_t count(const DatasetRepository &repository, std::int64_t datasetId, const RowFilter &filter) const override
    {
        return repository.countItems(datasetId, filter);
    }

    std::vector<TableRow> rows(const DatasetRepository &repository, std::int64_t datasetId, const RowFilter &filter,
                               std::int64_t offset, std::int64_t limit) const override
    {
        std::vector<TableRow> out;
        for (const auto &item : repository.items(datasetId, filter, offset, limit)) {
            TableRow row;
            row.index = item.index;
            row.rawId = QString::fromStdString(item.rawId);
            row.fieldsJson = QString::fromStdString(item.fieldsJson);
            row.tooltip = renderedPreview(item.fieldsJson);
            row.count = item.interactions;
            row.cells = {row.index, row.rawId, QString::fromStdString(item.title), row.count, row.tooltip};
            out.push_back(std::move(row));
        }
        return out;
    }
};

} // namespace

ItemTableModel::ItemTableModel(QObject *parent)
    : DatasetTableModel(std::make_shared<ItemSource>(), {tr("#"), tr("Raw ID"), tr("Title"), tr("Interactions"), tr("Model text")},
                        parent)
{
}

DatasetTableModel::SortKey ItemTableModel::sortKeyOf(int column) const
{
    switch (column) {
    case IndexColumn: return SortKey::Index;
    case RawIdColumn: return SortKey::RawId;
    case CountColumn: return SortKey::Count;
    default: return SortKey::None;
    }
}

} // namespace idgen::ui
