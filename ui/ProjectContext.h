#pragma once

#include "store/DatasetRepository.h"

#include <QFlags>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

namespace idgen {
class Database;
}

namespace idgen::ui {

// What changed in the context; views redo only the work a change concerns.
enum class ContextChange {
    Project = 0x01,   // another project file (everything below changed too)
    Dataset = 0x02,   // another dataset is current
    Snapshot = 0x04,  // another ID snapshot is current
    Run = 0x08,       // another run is current
    User = 0x10,      // another user is current
    Contents = 0x20,  // the project's contents changed (a job added runs, snapshots, metrics)
};
Q_DECLARE_FLAGS(ContextChanges, ContextChange)
Q_DECLARE_OPERATORS_FOR_FLAGS(ContextChanges)

// The one place the window keeps what is open and current: the project (the GUI thread's read
// connection), its current dataset, ID snapshot, run and user. Views observe it instead of being
// handed data (as okular's views observe its Document): every setter emits changed() once, with
// flags saying what changed, and only when something did. Selecting a run or a snapshot also makes
// its dataset (and a run's snapshot) current, so the views always agree.
class ProjectContext : public QObject {
    Q_OBJECT
public:
    explicit ProjectContext(QObject *parent = nullptr);

    // Null without a project. Views keep the shared pointer only while they read through it.
    const std::shared_ptr<const Database> &database() const { return m_db; }
    QString projectPath() const;
    const std::optional<DatasetInfo> &dataset() const { return m_dataset; }
    std::optional<std::int64_t> snapshot() const { return m_snapshot; }
    std::optional<std::int64_t> run() const { return m_run; }
    // The current user's raw id (empty: none).
    QString user() const { return m_user; }

    // Another project: dataset, snapshot, run and user are cleared.
    void setProject(std::shared_ptr<const Database> db);
    // Another dataset: snapshot, run and user are cleared when they belonged to the old one.
    void setDataset(const std::optional<DatasetInfo> &dataset);
    // Also makes the snapshot's dataset current. Throws an Error for an unknown snapshot.
    void setSnapshot(std::optional<std::int64_t> snapshot);
    // Also makes the run's dataset and its snapshot current. Throws an Error for an unknown run.
    void setRun(std::optional<std::int64_t> run);
    void setUser(const QString &rawId);
    // Says that a job wrote into the project (a run trained, IDs assigned): lists must be re-read.
    void notifyContentsChanged();

    // The newest run and ID snapshot of the current dataset, for views that need one and have
    // none chosen (the screenshot command, a first look at a project).
    std::optional<std::int64_t> newestRun() const;
    std::optional<std::int64_t> newestSnapshot() const;

Q_SIGNALS:
    void changed(idgen::ui::ContextChanges what);

private:
    // Applies a dataset switch without emitting; returns the flags it caused.
    ContextChanges switchDataset(const std::optional<DatasetInfo> &dataset);
    void emitIfAny(ContextChanges what);

    std::shared_ptr<const Database> m_db;
    std::optional<DatasetInfo> m_dataset;
    std::optional<std::int64_t> m_snapshot;
    std::optional<std::int64_t> m_run;
    QString m_user;
};

} // namespace idgen::ui

Q_DECLARE_METATYPE(idgen::ui::ContextChanges)
