#pragma once

#include "models/DatasetTableModel.h"

namespace idgen::ui {

// The items of a dataset: index, raw id, title, interactions and the rendered model text.
class ItemTableModel : public DatasetTableModel {
    Q_OBJECT
public:
    enum Column { IndexColumn, RawIdColumn, TitleColumn, CountColumn, TextColumn, ColumnCount };

    explicit ItemTableModel(QObject *parent = nullptr);

protected:
    SortKey sortKeyOf(int column) const override;
    bool isNumeric(int column) const override { return column == IndexColumn || column == CountColumn; }
    bool showsTooltip(int column) const override { return column == TitleColumn || column == TextColumn; }
};

} // namespace idgen::ui
