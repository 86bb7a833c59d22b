#include "models/BackgroundReader.h"

#include "store/Database.h"

namespace idgen::ui {

BackgroundReader::BackgroundReader(QObject *parent)
    : QObject(parent)
    , m_worker(new QObject)
    , m_connection(std::make_shared<Connection>())
{
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName("BackgroundReader");
    m_thread.start();
}

BackgroundReader::~BackgroundReader()
{
    invalidate(); // queued work is skipped, so quitting waits for one query at most
    m_thread.quit();
    m_thread.wait();
}

const Database &BackgroundReader::Connection::open(const std::filesystem::path &project)
{
    if (!m_db || m_db->path() != project)
        m_db = std::make_unique<Database>(project, Database::Mode::OpenExisting);
    return *m_db;
}

BackgroundReader::Connection::Connection() = default;
BackgroundReader::Connection::~Connection() = default;

} // namespace idgen::ui
