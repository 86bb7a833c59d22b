#pragma once

#include "views/RowBrowser.h"

namespace idgen::ui {

// The "Users" tab: every user of the dataset; the detail pane shows the user's sequence
// (raw ids and titles, oldest first).
class UsersView : public RowBrowser {
    Q_OBJECT
public:
    explicit UsersView(QWidget *parent = nullptr);

protected:
    QString detailHtml(const QModelIndex &index) const override;
};

} // namespace idgen::ui
