#pragma once

#include "store/DatasetRepository.h"

#include <QWidget>

#include <memory>
#include <optional>

namespace idgen {
class Database;
}

namespace idgen::ui {

// A page of the Datasets view (Summary, Items, Users): shows one dataset. The Datasets view
// observes the project context and hands each page the current dataset, so a page stays a plain
// widget that tests can drive with showDataset() alone.
class DatasetPage : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // `db` is the GUI thread's connection to the project (null: no project); `info` is empty
    // when no dataset is selected. Views keep the shared pointer as long as they read from it.
    virtual void showDataset(const std::shared_ptr<const Database> &db, const std::optional<DatasetInfo> &info) = 0;
};

} // namespace idgen::ui
