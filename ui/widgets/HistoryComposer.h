#pragma once

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <memory>

class QLineEdit;
class QListWidget;

namespace idgen {
class Database;
}

namespace idgen::ui {

// Writes a history by hand for the beam inspector: search the dataset's items by title or raw id,
// add them in order (double-click or Enter), remove with Delete, drag to reorder.
class HistoryComposer : public QWidget {
    Q_OBJECT
public:
    explicit HistoryComposer(QWidget *parent = nullptr);

    // The dataset searched (none: the search finds nothing).
    void setDataset(std::shared_ptr<const Database> db, std::int64_t datasetId);
    void search(const QString &text);
    void addItem(const QString &rawId, const QString &title);
    // The history's raw ids, oldest first.
    QStringList history() const;
    void clear();

    QLineEdit *searchField() const { return m_search; }
    QListWidget *results() const { return m_results; }

Q_SIGNALS:
    void errorOccurred(const QString &summary, const QString &message);

private:
    void addCurrentResult();

    std::shared_ptr<const Database> m_db;
    std::int64_t m_dataset = 0;
    QLineEdit *m_search;
    QListWidget *m_results;
    QListWidget *m_history;
};

} // namespace idgen::ui
