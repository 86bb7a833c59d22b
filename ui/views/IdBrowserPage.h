#pragma once

#include <QWidget>

#include <cstdint>
#include <filesystem>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace idgen::ui {

class BackgroundReader;
class SnapshotBrowserModel;

// The IDs view's browser: one snapshot's items, item text beside ID, tokens and length, searched
// by ID, item text or raw id as one types (in memory: Beauty's 12k items in milliseconds; the
// time is shown). The snapshot is read on the background reader.
class IdBrowserPage : public QWidget {
    Q_OBJECT
public:
    IdBrowserPage(BackgroundReader &reader, QWidget *parent = nullptr);

    // Reads the snapshot (none: clears the table).
    void showSnapshot(const std::filesystem::path &project, std::optional<std::int64_t> snapshot);
    std::optional<std::int64_t> snapshot() const { return m_snapshot; }
    void search(const QString &query);

    SnapshotBrowserModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *scopeBox() const { return m_scope; }
    double lastSearchMs() const { return m_lastSearchMs; }

Q_SIGNALS:
    void loadingChanged();
    void errorOccurred(const QString &summary, const QString &message);

private:
    void applyFilter();

    BackgroundReader &m_reader;
    SnapshotBrowserModel *m_model;
    QTableView *m_table;
    QLineEdit *m_search;
    QComboBox *m_scope;
    QLabel *m_summary;
    std::optional<std::int64_t> m_snapshot;
    double m_lastSearchMs = 0.0;
};

} // namespace idgen::ui
