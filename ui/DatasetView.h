#pragma once

#include "store/DatasetRepository.h"

#include <QWidget>

#include <memory>
#include <optional>

namespace idgen {
class Database;
}

namespace idgen::ui {

// A central tab that shows the dataset selected in the side panel. The main window calls
// showDataset() on every such view when the selection or the project changes; views added by
// later features (training, ID evolution, beam inspector) derive from this too.
class DatasetView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // `db` is the GUI thread's connection to the project (null: no project); `info` is empty
    // when no dataset is selected. Views keep the shared pointer as long as they read from it.
    virtual void showDataset(const std::shared_ptr<const Database> &db, const std::optional<DatasetInfo> &info) = 0;
};

} // namespace idgen::ui
