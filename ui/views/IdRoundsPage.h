#pragma once

#include "train/RunRepository.h"

#include <QWidget>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace idgen::ui {

class BackgroundReader;
class RunRoundsModel;

// The IDs view's rounds: for a run with rounds (alternate training, snapshots linked with their
// round), every item's ID in every round in one row, the words that changed since the round
// before marked, filterable by raw id, title or ID.
class IdRoundsPage : public QWidget {
    Q_OBJECT
public:
    IdRoundsPage(BackgroundReader &reader, QWidget *parent = nullptr);

    // The runs that have rounds; shows `current` when it is one of them, else the newest.
    void setRuns(const std::filesystem::path &project, const std::vector<RunRecord> &runs,
                 std::optional<std::int64_t> current);
    void showRun(std::optional<std::int64_t> run);
    void filter(const QString &text);

    RunRoundsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void loadingChanged();
    void errorOccurred(const QString &summary, const QString &message);

private:
    BackgroundReader &m_reader;
    std::filesystem::path m_project;
    QComboBox *m_run;
    QLabel *m_summary;
    QLineEdit *m_filter;
    RunRoundsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    std::optional<std::int64_t> m_shown;
    bool m_filling = false;
};

} // namespace idgen::ui
