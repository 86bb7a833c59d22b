#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

namespace idgen {
class Database;
}

namespace idgen::ui {

// Runs read queries against a project file on one worker thread with its own SQLite connection,
// one at a time in the order posted, and hands each result back on the owner's thread. After
// invalidate(), results of everything posted before are dropped (and work not yet started is
// skipped), so an answer for old settings is never shown as current.
class BackgroundReader : public QObject {
    Q_OBJECT
public:
    explicit BackgroundReader(QObject *parent = nullptr);
    // Waits for the query in progress: the worker must not outlive what its callbacks touch.
    ~BackgroundReader() override;

    void invalidate() { ++*m_generation; }
    // Queries posted and not yet answered (or dropped).
    int pending() const { return m_pending; }

    template <typename T>
    void run(const std::filesystem::path &project, std::function<T(const Database &)> work,
             std::function<void(T)> done, std::function<void(const QString &)> failed)
    {
        ++m_pending;
        const auto generation = m_generation;
        const std::uint64_t posted = generation->load();
        const auto connection = m_connection;
        QMetaObject::invokeMethod(
            m_worker,
            [this, project, work = std::move(work), done = std::move(done), failed = std::move(failed), generation,
             posted, connection] {
                auto result = std::make_shared<std::optional<T>>();
                QString error;
                if (generation->load() == posted) {
                    try {
                        *result = work(connection->open(project));
                    } catch (const std::exception &e) {
                        error = QString::fromUtf8(e.what());
                    }
                }
                QMetaObject::invokeMethod(
                    this,
                    [this, result, error, done, failed, generation, posted] {
                        --m_pending;
                        if (generation->load() != posted)
                            return; // asked for settings that have changed since
                        if (*result)
                            done(std::move(**result));
                        else
                            failed(error);
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

private:
    // The worker thread's connection, opened on first use and reopened when the project changes.
    class Connection {
    public:
        Connection();
        ~Connection();
        const Database &open(const std::filesystem::path &project);

    private:
        std::unique_ptr<Database> m_db;
    };

    QThread m_thread;
    QObject *m_worker;
    std::shared_ptr<std::atomic<std::uint64_t>> m_generation = std::make_shared<std::atomic<std::uint64_t>>(0);
    std::shared_ptr<Connection> m_connection; // made in the .cpp, where Database is complete
    int m_pending = 0;
};

} // namespace idgen::ui
