#include "DemoProject.h"

#include "models/DatasetSummary.h"

#include "jobs/DemoJob.h"
#include "store/Database.h"

#include <QDir>
#include <QStandardPaths>

#include <ostream>

namespace idgen::ui {
namespace {

// Stage changes only: a headless run writes to logs, not to a terminal progress bar.
class StreamEvents final : public JobEvents {
public:
    explicit StreamEvents(std::ostream &err) : m_err(err) {}
    void progress(double, std::string_view stage) override
    {
        if (stage != m_stage)
            m_err << "  " << stage << "\n";
        m_stage = stage;
    }
    void log(std::string_view message) override { m_err << "  " << message << "\n"; }

private:
    std::ostream &m_err;
    std::string m_stage;
};

} // namespace

QString defaultDemoProjectPath()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return QDir(folder).filePath("demo.idgenrec");
}

int runHeadlessDemo(const QString &projectPath, bool createDemo, std::ostream &out, std::ostream &err)
{
    try {
        const Database db(projectPath.toStdString(), createDemo ? Database::Mode::CreateIfMissing : Database::Mode::OpenExisting);
        DatasetRepository repository(db);
        if (createDemo && !repository.find("demo")) {
            err << "creating the demo dataset in " << projectPath.toStdString() << "\n";
            StreamEvents events(err);
            createDemoDataset(db, "demo", events);
        }
        const auto datasets = repository.list();
        out << "project " << projectPath.toStdString() << ": " << datasets.size() << " dataset(s)\n";
        for (const auto &info : datasets)
            out << "\n" << summaryText(info).toStdString();
        return 0;
    } catch (const std::exception &error) {
        err << "error: " << error.what() << "\n";
        return 1;
    }
}

} // namespace idgen::ui
