#pragma once

#include "models/DatasetTableModel.h"

namespace idgen::ui {

// The users of a dataset: index, raw id and sequence length.
class UserTableModel : public DatasetTableModel {
    Q_OBJECT
public:
    enum Column { IndexColumn, RawIdColumn, LengthColumn, ColumnCount };

    explicit UserTableModel(QObject *parent = nullptr);

protected:
    SortKey sortKeyOf(int column) const override;
    bool isNumeric(int column) const override { return column != RawIdColumn; }
};

} // namespace idgen::ui
