#include "models/UserTableModel.h"

namespace idgen::ui {
namespace {

class UserSource final : public RowSource {
public:
    std::int64_t count(const DatasetRepository &repository, std::int64_t datasetId, const RowFilter &filter) const override
    {
        return repository.countUsers(datasetId, filter);
    }

    std::vector<TableRow> rows(const DatasetRepository &repository, std::int64_t datasetId, const RowFilter &filter,
                               std::int64_t offset, std::int64_t limit) const override
    {
        std::vector<TableRow> out;
        for (const auto &user : repository.users(datasetId, filter, offset, limit)) {
            TableRow row;
            row.index = user.index;
            row.rawId = QString::fromStdString(user.rawId);
            row.count = user.sequenceLength;
            row.cells = {row.index, row.rawId, row.count};
            out.push_back(std::move(row));
        }
        return out;
    }
};

} // namespace

UserTableModel::UserTableModel(QObject *parent)
    : DatasetTableModel(std::make_shared<UserSource>(), {tr("#"), tr("Raw ID"), tr("Sequence length")}, parent)
{
}

DatasetTableModel::SortKey UserTableModel::sortKeyOf(int column) const
{
    switch (column) {
    case IndexColumn: return SortKey::Index;
    case RawIdColumn: return SortKey::RawId;
    case LengthColumn: return SortKey::Count;
    default: return SortKey::None;
    }
}

} // namespace idgen::ui
