#include "ProjectContext.h"

#include "ids/IdSnapshotRepository.h"
#include "store/Database.h"
#include "train/RunRepository.h"

namespace idgen::ui {

ProjectContext::ProjectContext(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<idgen::ui::ContextChanges>();
}

QString ProjectContext::projectPath() const
{
    return m_db ? QString::fromStdString(m_db->path().string()) : QString();
}

void ProjectContext::setProject(std::shared_ptr<const Database> db)
{
    m_db = std::move(db);
    m_dataset.reset();
    m_snapshot.reset();
    m_run.reset();
    m_user.clear();
    Q_EMIT changed(ContextChange::Project | ContextChange::Dataset | ContextChange::Snapshot | ContextChange::Run |
                   ContextChange::User | ContextChange::Contents);
}

ContextChanges ProjectContext::switchDataset(const std::optional<DatasetInfo> &dataset)
{
    const bool same = (!dataset && !m_dataset) || (dataset && m_dataset && dataset->id == m_dataset->id);
    if (same) {
        if (dataset)
            m_dataset = dataset; // fresher counts, same dataset
        return {};
    }
    m_dataset = dataset;
    ContextChanges what = ContextChange::Dataset;
    // A snapshot, run or user of another dataset means nothing here.
    if (m_snapshot)
        what |= ContextChange::Snapshot;
    if (m_run)
        what |= ContextChange::Run;
    if (!m_user.isEmpty())
        what |= ContextChange::User;
    m_snapshot.reset();
    m_run.reset();
    m_user.clear();
    return what;
}

void ProjectContext::setDataset(const std::optional<DatasetInfo> &dataset)
{
    emitIfAny(switchDataset(dataset));
}

void ProjectContext::setSnapshot(std::optional<std::int64_t> snapshot)
{
    ContextChanges what;
    if (snapshot && m_db) {
        const IdSnapshotInfo info = IdSnapshotRepository(*m_db).get(*snapshot);
        if (!m_dataset || m_dataset->name != info.dataset)
            what |= switchDataset(DatasetRepository(*m_db).get(info.dataset));
    }
    if (snapshot != m_snapshot) {
        m_snapshot = snapshot;
        what |= ContextChange::Snapshot;
    }
    emitIfAny(what);
}

void ProjectContext::setRun(std::optional<std::int64_t> run)
{
    ContextChanges what;
    if (run && m_db) {
        const RunRecord record = RunRepository(*m_db).load(*run);
        if (!m_dataset || m_dataset->name != record.dataset)
            what |= switchDataset(DatasetRepository(*m_db).get(record.dataset));
        if (record.snapshot && record.snapshot != m_snapshot) {
            m_snapshot = record.snapshot;
            what |= ContextChange::Snapshot;
        }
    }
    if (run != m_run) {
        m_run = run;
        what |= ContextChange::Run;
    }
    emitIfAny(what);
}

void ProjectContext::setUser(const QString &rawId)
{
    if (rawId == m_user)
        return;
    m_user = rawId;
    Q_EMIT changed(ContextChange::User);
}

void ProjectContext::notifyContentsChanged()
{
    Q_EMIT changed(ContextChange::Contents);
}

std::optional<std::int64_t> ProjectContext::newestRun() const
{
    if (!m_db || !m_dataset)
        return std::nullopt;
    std::optional<std::int64_t> newest;
    for (const RunRecord &run : RunRepository(*m_db).list(m_dataset->name))
        newest = std::max(newest.value_or(run.id), run.id);
    return newest;
}

std::optional<std::int64_t> ProjectContext::newestSnapshot() const
{
    if (!m_db || !m_dataset)
        return std::nullopt;
    const auto snapshots = IdSnapshotRepository(*m_db).list(m_dataset->name); // oldest first
    return snapshots.empty() ? std::nullopt : std::optional(snapshots.back().id);
}

void ProjectContext::emitIfAny(ContextChanges what)
{
    if (what)
        Q_EMIT changed(what);
}

} // namespace idgen::ui
