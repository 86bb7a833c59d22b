#pragma once

#include "views/RowBrowser.h"

namespace idgen::ui {

// The "Items" tab: every item of the dataset; the detail pane shows its stored fields and the
// text the models read (renderItemText).
class ItemsView : public RowBrowser {
    Q_OBJECT
public:
    explicit ItemsView(QWidget *parent = nullptr);

protected:
    QString detailHtml(const QModelIndex &index) const override;
};

} // namespace idgen::ui
