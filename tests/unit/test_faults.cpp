// Faults that must lose nothing: a read-only project (file or folder), a full disk (emulated with
// IDGEN_MAX_PAGE_COUNT), two processes writing one project, a checkpoint write that fails.
// The CLI runs as real processes; as root (where file modes do not bind) the read-only cases run
// it as 'nobody' through setpriv.
#include "model/Checkpoint.h"
#include "store/Database.h"
#include "support/TestSupport.h"

#include <torch/torch.h>

#include <QProcess>
#include <QStandardPaths>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

using namespace idgen;

namespace {

struct Counts {
    std::int64_t datasets = -1, items = -1, interactions = -1;
    bool operator==(const Counts &) const = default;
};

Counts countsOf(const std::filesystem::path &project)
{
    Database db(project, Database::Mode::OpenExisting);
    Counts counts;
    auto q = db.prepare("SELECT (SELECT COUNT(*) FROM datasets), (SELECT COUNT(*) FROM items), "
                        "(SELECT COUNT(*) FROM interactions)");
    q.step();
    counts.datasets = q.integer(0);
    counts.items = q.integer(1);
    counts.interactions = q.integer(2);
    return counts;
}

std::string integrityOf(const std::filesystem::path &project)
{
    Database db(project, Database::Mode::OpenExisting);
    auto q = db.prepare("PRAGMA integrity_check");
    return q.step() ? q.text(0) : "no answer";
}

// Runs the CLI with extra environment, as 'nobody' when asked and this process is root.
test::CliResult runAs(bool unprivileged, const QStringList &arguments, const QStringList &environment = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &pair : environment)
        env.insert(pair.section('=', 0, 0), pair.section('=', 1));
    process.setProcessEnvironment(env);
    QString program = IDGEN_CLI_PATH;
    QStringList args = arguments;
    if (unprivileged && ::geteuid() == 0) {
        args = QStringList{"--reuid=65534", "--regid=65534", "--clear-groups", program} + arguments;
        program = QStandardPaths::findExecutable("setpriv");
    }
    process.start(program, args);
    test::CliResult result;
    if (!process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        return result;
    }
    result.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput().toStdString();
    result.err = process.readAllStandardError().toStdString();
    return result;
}

struct Net : torch::nn::Module {
    Net() { weight = register_parameter("weight", torch::randn({64, 64})); }
    torch::Tensor weight;
};

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readOnlyProjectReadsButRefusesWrites_data()
    {
        QTest::addColumn<bool>("folderReadOnly");
        QTest::newRow("file 0444") << false;
        QTest::newRow("folder 0555") << true;
    }

    void readOnlyProjectReadsButRefusesWrites()
    {
        QFETCH(bool, folderReadOnly);
        if (::geteuid() == 0 && QStandardPaths::findExecutable("setpriv").isEmpty())
            QSKIP("running as root without setpriv: file modes cannot be tested");
        test::Scratch scratch;
        const auto folder = scratch.path("ro");
        std::filesystem::create_directory(folder);
        const auto project = folder / "p.idgenrec";
        const QString file = QString::fromStdString(project.string());
        const auto created = test::runCli({"demo", "--project", file, "--version", "2"});
        QVERIFY2(created.code == 0, created.all().c_str());
        const Counts before = countsOf(project);
        const std::string bytes = test::readFile(project);
        // 'nobody' must reach the folder: the scratch root is private.
        ::chmod(scratch.path("").c_str(), 0755);
        ::chmod(project.c_str(), folderReadOnly ? 0644 : 0444);
        ::chmod(folder.c_str(), folderReadOnly ? 0555 : 0777);

        const auto listed = runAs(true, {"datasets", "--project", file});
        QVERIFY2(listed.code == 0 && listed.out.find("demo") != std::string::npos, listed.all().c_str());
        const auto refused = runAs(true, {"demo", "--project", file, "--name", "again", "--version", "2"});
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.find(project.string()) != std::string::npos && refused.err.find("read-only") != std::string::npos,
                 refused.err.c_str());

        ::chmod(folder.c_str(), 0755);
        ::chmod(project.c_str(), 0644);
        QVERIFY(test::readFile(project) == bytes);
        QCOMPARE(QString::fromStdString(integrityOf(project)), QString("ok"));
        QVERIFY(countsOf(project) == before);
    }

    void fullDiskFailsNamingTheFileAndKeepsTheProject()
    {
        test::Scratch scratch;
        const auto project = scratch.path("full.idgenrec");
        const QString file = QString::fromStdString(project.string());
        const auto created = test::runCli({"demo", "--project", file, "--version", "2"});
        QVERIFY2(created.code == 0, created.all().c_str());
        const Counts before = countsOf(project);
        std::int64_t pages = 0;
        {
            Database db(project);
            auto q = db.prepare("PRAGMA page_count");
            q.step();
            pages = q.integer(0);
        }
        const auto full = runAs(false, {"demo", "--project", file, "--name", "second", "--version", "1"},
                                {"IDGEN_MAX_PAGE_COUNT=" + QString::number(pages + 4)});
        QCOMPARE(full.code, 1);
        QVERIFY2(full.err.find(project.string()) != std::string::npos && full.err.find("full") != std::string::npos,
                 full.err.c_str());
        QCOMPARE(QString::fromStdString(integrityOf(project)), QString("ok"));
        QVERIFY(countsOf(project) == before);
        // Room again: the same import now succeeds.
        const auto again = test::runCli({"demo", "--project", file, "--name", "second", "--version", "1"});
        QVERIFY2(again.code == 0, again.all().c_str());
    }

    void twoProcessesNeverSeeALockedProject()
    {
        test::Scratch scratch;
        const QString file = QString::fromStdString(scratch.path("two.idgenrec").string());
        const auto created = test::runCli({"demo", "--project", file, "--version", "2"});
        QVERIFY2(created.code == 0, created.all().c_str());
        // One process imports demo datasets back to back (each one big transaction) while the
        // test lists datasets and imports small ones from another process.
        QProcess writer;
        writer.start("/bin/sh", {"-c", QString("for n in 1 2 3; do \"%1\" demo --project \"%2\" --name big$n --version 1 "
                                               "|| exit 1; done")
                                           .arg(IDGEN_CLI_PATH, file)});
        QVERIFY(writer.waitForStarted());
        int rounds = 0;
        std::string failures;
        while (writer.state() != QProcess::NotRunning || rounds < 3) {
            const auto listed = test::runCli({"datasets", "--project", file});
            const auto added = test::runCli({"demo", "--project", file, "--name", "small" + QString::number(rounds), "--version", "2"});
            for (const auto *r : {&listed, &added})
                if (r->code != 0)
                    failures += r->all() + "\n";
            ++rounds;
            if (rounds > 40)
                break;
        }
        QVERIFY(writer.waitForFinished(300000));
        const std::string writerOut = writer.readAllStandardOutput().toStdString() + writer.readAllStandardError().toStdString();
        QVERIFY2(writer.exitCode() == 0, writerOut.c_str());
        QVERIFY2(failures.empty(), failures.c_str());
        QVERIFY(writerOut.find("locked") == std::string::npos);
        Counts counts = countsOf(scratch.path("two.idgenrec"));
        QCOMPARE(counts.datasets, std::int64_t(1 + 3 + rounds));
        QCOMPARE(QString::fromStdString(integrityOf(scratch.path("two.idgenrec"))), QString("ok"));
    }

    void failedCheckpointWriteKeepsThePreviousOne()
    {
        test::Scratch scratch;
        const auto folder = scratch.path("ckpt");
        std::filesystem::create_directory(folder);
        const auto path = folder / "last.ckpt";
        torch::manual_seed(1);
        Net first;
        CheckpointState state;
        state.kind = "test";
        state.step = 1;
        saveCheckpoint(path, first, nullptr, state);
        const std::string before = test::readFile(path);

        torch::manual_seed(2);
        Net second;
        state.step = 2;
        // A full disk, emulated with a file size limit (binding even for root): the write fails...
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        ::getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = 4096;
        ::setrlimit(RLIMIT_FSIZE, &small);
        const QString error = test::errorOf([&] { saveCheckpoint(path, second, nullptr, state); });
        ::setrlimit(RLIMIT_FSIZE, &old);
        QVERIFY2(error.contains(QString::fromStdString(path.string())), qPrintable(error));
        // ... and so does a read-only folder (only where modes bind: not for root).
        if (::geteuid() != 0) {
            ::chmod(folder.c_str(), 0555);
            const QString denied = test::errorOf([&] { saveCheckpoint(path, second, nullptr, state); });
            ::chmod(folder.c_str(), 0755);
            QVERIFY2(denied.contains(QString::fromStdString(path.string())), qPrintable(denied));
        }
        // The previous checkpoint is intact and no temporary file is left behind.
        QVERIFY(test::readFile(path) == before);
        Net loaded;
        QCOMPARE(readCheckpointState(path).step, std::int64_t(1));
        loadCheckpoint(path, loaded, nullptr);
        QVERIFY(torch::equal(loaded.weight, first.weight));
        int files = 0;
        for ([[maybe_unused]] const auto &entry : std::filesystem::directory_iterator(folder))
            ++files;
        QCOMPARE(files, 1);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "test_faults.moc"
