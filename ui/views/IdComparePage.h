#pragma once

#include "ids/IdSnapshot.h"

#include <QWidget>

#include <cstdint>
#include <filesystem>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;

namespace idgen::ui {

class BackgroundReader;
class PlotWidget;
class SnapshotDiffModel;
struct SnapshotComparison;

// The IDs view's comparison of two snapshots of a dataset: the items whose ID changed with the
// changed words marked, how many; beside it what each assignment had to resolve (collisions,
// escalations, fallbacks), the ID-length histograms of both and the trie's nodes and branching
// per depth.
class IdComparePage : public QWidget {
    Q_OBJECT
public:
    IdComparePage(BackgroundReader &reader, QWidget *parent = nullptr);

    // The snapshots to choose from (oldest first); picks the two newest unless the current choice
    // is still among them, and compares.
    void setSnapshots(const std::filesystem::path &project, const std::vector<IdSnapshotInfo> &snapshots);
    void compare(std::int64_t from, std::int64_t to);

    SnapshotDiffModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    PlotWidget *histogram() const { return m_histogram; }
    QTableWidget *shapeTable() const { return m_shape; }
    QTableWidget *trieTable() const { return m_trie; }

Q_SIGNALS:
    void loadingChanged();
    void errorOccurred(const QString &summary, const QString &message);

private:
    void compareChosen();
    void show(std::shared_ptr<const SnapshotComparison> comparison);
    // The table with its Export CSV… button above it.
    QWidget *withExport(QTableWidget *table, const QString &exportName);

    BackgroundReader &m_reader;
    std::filesystem::path m_project;
    QComboBox *m_from;
    QComboBox *m_to;
    QLabel *m_summary;
    QLineEdit *m_filter;
    SnapshotDiffModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QTableWidget *m_shape;
    QTableWidget *m_trie;
    PlotWidget *m_histogram;
    bool m_filling = false;
};

} // namespace idgen::ui
