// Data-parallel training through c10d (train/distributed/): the ranks' shares of a batch, the
// torchrun environment, Gloo collectives over loopback, 2 ranks training exactly as 1 rank with
// the same global batch (weights and metrics), and a rank killed mid-epoch interrupting the run,
// which resumes with another number of ranks.
#include "data/DemoDataset.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "store/Database.h"
#include "support/TestSupport.h"
#include "support/TwoRanks.h"
#include "train/RunRepository.h"
#include "train/distributed/GradientAllReduce.h"
#include "train/distributed/ProcessGroupContext.h"

#include <ATen/ATen.h>

#include <QProcess>
#include <QProcessEnvironment>

#include <csignal>
#include <cstdlib>
#include <future>
#include <thread>

using namespace idgen;

namespace {

// Tiny and dropout-free (dropout draws differ per rank, as in PyTorch's DDP), validation only at
// the end, a checkpoint every 4 steps; the 60-user demo gives 23 steps an epoch.
const char *kConfig = R"(
[ids]
scheme = "sequential"
[model]
size = "tiny"
dropout = 0.0
[data]
max_history = 8
max_prompt_tokens = 96
templates_per_sample = 2
[train]
epochs = 2
batch = 16
learning_rate = 0.003
seed = 3
[validation]
users = 30
beams = 10
every = 100
[test]
beams = 10
[checkpoint]
every_steps = 4
every_minutes = 0.0
)";

// The kill test's config: more epochs, so the run is still training when a rank is killed.
std::string longerConfig()
{
    std::string text = kConfig;
    text.replace(text.find("epochs = 2"), 10, "epochs = 12");
    return text;
}

int freeishPort()
{
    return 20000 + static_cast<int>(QCoreApplication::applicationPid() % 20000);
}

QProcessEnvironment rankEnvironment(int rank, int ranks, int port)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("MASTER_ADDR", "127.0.0.1");
    environment.insert("MASTER_PORT", QString::number(port));
    environment.insert("WORLD_SIZE", QString::number(ranks));
    environment.insert("RANK", QString::number(rank));
    environment.insert("LOCAL_RANK", QString::number(rank));
    environment.insert("IDGEN_THREADS", "1");
    environment.insert("IDGEN_DIST_TIMEOUT_S", "60");
    return environment;
}

std::vector<at::Tensor> weightsOf(const std::filesystem::path &checkpoint)
{
    std::vector<at::Tensor> out;
    for (const auto &p : loadModel(checkpoint).model->parameters())
        out.push_back(p.detach().clone());
    return out;
}

// A tiny alternate (IDGenRec) run, dropout-free in the recommender and the generator (its shape
// is a config.json with dropout_rate 0): round 0's recommender phase, then one round of ID phase
// (6 generator steps of a global batch of 8), assignment and recommender phase.
std::string alternateConfig(const std::filesystem::path &generatorShape)
{
    return R"(
[rounds]
rounds = 1
first = "recommender"
initial_recommender_epochs = 1
recommender_epochs = 1
[generator]
epochs = 1
steps_per_round = 6
learning_rate = 0.001
batch = 8
max_steps = 4
max_source_tokens = 32
warmup_epochs = 1
size = ")" + generatorShape.string() + R"("
[model]
size = "tiny"
dropout = 0.0
[data]
max_history = 5
max_prompt_tokens = 64
templates_per_sample = 1
[train]
batch = 16
learning_rate = 0.003
seed = 5
[validation]
users = 20
beams = 5
[test]
beams = 5
[checkpoint]
every_minutes = 0.0
)";
}

// Ranks 0 and 1 of a CLI command (with --json) started torchrun-style on `port`; rank 1 is
// killed (SIGKILL) once rank 0 has reported metric `metric` at step `step` or later.
struct KilledRankOutcome {
    std::int64_t run = 0;     // the run rank 0 reported
    bool reached = false;     // rank 0 reached the step and rank 1 was killed
    bool rank0Ended = false;  // within endMs of the kill
    int rank0Exit = 0;
    std::string rank0Errors;
};

KilledRankOutcome killRankOneAt(const QStringList &arguments, int port, const std::string &metric, std::int64_t step,
                                int endMs)
{
    KilledRankOutcome outcome;
    QProcess rank0;
    QProcess rank1;
    rank0.setProcessEnvironment(rankEnvironment(0, 2, port));
    rank1.setProcessEnvironment(rankEnvironment(1, 2, port));
    rank0.start(QString(IDGEN_CLI_PATH), arguments);
    rank1.start(QString(IDGEN_CLI_PATH), arguments);
    if (!rank0.waitForStarted() || !rank1.waitForStarted())
        return outcome;
    std::int64_t seen = 0;
    for (int i = 0; i < 15000 && seen < step && rank0.state() == QProcess::Running; ++i) {
        rank0.waitForReadyRead(20);
        while (rank0.canReadLine()) {
            const auto line = nlohmann::json::parse(rank0.readLine().toStdString(), nullptr, false);
            if (line.is_object() && line.contains("run") && outcome.run == 0)
                outcome.run = line["run"].get<std::int64_t>();
            if (line.is_object() && line.value("name", "") == metric)
                seen = line.value("step", std::int64_t(0));
        }
    }
    outcome.reached = seen >= step;
    rank1.kill();
    rank1.waitForFinished();
    outcome.rank0Ended = rank0.waitForFinished(endMs);
    outcome.rank0Exit = rank0.exitCode();
    outcome.rank0Errors = rank0.readAllStandardError().toStdString();
    if (!outcome.rank0Ended)
        rank0.kill();
    return outcome;
}

// Rank 0 reached the step, then ended on its own with an error naming `cause` and how to resume.
void verifyRankZeroFailed(const KilledRankOutcome &killed, const std::string &cause)
{
    QVERIFY2(killed.reached, "rank 0 never reached the step at which rank 1 was to be killed");
    QVERIFY2(killed.rank0Ended, "rank 0 did not end after rank 1 was killed");
    const std::string &err = killed.rank0Errors;
    QVERIFY2(killed.rank0Exit != 0, err.c_str());
    QVERIFY2(err.find(cause) != std::string::npos && err.find("idgenrec resume") != std::string::npos, err.c_str());
}

// Runs `work(rank)` on two threads, each with its own loopback group of two ranks.
using test::onTwoRanks;

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_config = m_scratch.write("tiny.toml", kConfig);
        m_longConfig = m_scratch.write("longer.toml", longerConfig());
        m_project = m_scratch.path("dp.idgenrec");
        DemoOptions demo;
        demo.version = 1;
        demo.items = 40;
        demo.users = 60;
        demo.minSequence = 4;
        demo.maxSequence = 12;
        test::createDemoProject(m_project, demo, 300);
        Database db(m_project);
        JobEvents quiet;
        IdAssignmentOptions ids;
        ids.dataset = "demo";
        ids.scheme = "sequential";
        m_snapshot = assignIds(db, ids, quiet).snapshot.id;
    }

    void rankSharesTileTheBatch()
    {
        for (std::size_t count : {0, 1, 5, 16, 17}) {
            std::size_t next = 0;
            for (int r = 0; r < 3; ++r) {
                const auto [begin, end] = rankShare(count, r, 3);
                QCOMPARE(begin, next);
                QVERIFY(end - begin == count / 3 || end - begin == count / 3 + 1);
                next = end;
            }
            QCOMPARE(next, count);
        }
        QCOMPARE(rankShare(7, 0, 1), std::make_pair(std::size_t(0), std::size_t(7)));
        QVERIFY(!test::errorOf([] { (void)rankShare(4, 2, 2); }).isEmpty());
    }

    void launchEnvironmentFollowsTorchrun()
    {
        ::unsetenv("WORLD_SIZE");
        QVERIFY(!LaunchEnvironment::fromEnvironment());
        ::setenv("WORLD_SIZE", "4", 1);
        ::setenv("RANK", "2", 1);
        ::setenv("MASTER_PORT", "29555", 1);
        ::setenv("MASTER_ADDR", "node1", 1);
        ::unsetenv("LOCAL_RANK");
        const auto environment = LaunchEnvironment::fromEnvironment();
        QVERIFY(environment);
        QCOMPARE(environment->worldSize, 4);
        QCOMPARE(environment->rank, 2);
        QCOMPARE(environment->localRank, 2); // LOCAL_RANK defaults to RANK
        QCOMPARE(environment->masterAddress, std::string("node1"));
        ::setenv("RANK", "4", 1);
        QVERIFY(test::errorOf([] { (void)LaunchEnvironment::fromEnvironment(); }).contains("RANK='4'"));
        ::unsetenv("RANK");
        QVERIFY(test::errorOf([] { (void)LaunchEnvironment::fromEnvironment(); }).contains("RANK is not"));
        for (const char *name : {"WORLD_SIZE", "MASTER_PORT", "MASTER_ADDR"})
            ::unsetenv(name);
    }

    // Gloo over loopback: sums, broadcasts and the "no rank has this gradient" flag.
    void collectivesOverLoopback()
    {
        if (!ProcessGroupContext::available())
            QSKIP("built without c10d's Gloo headers (libgloo-dev)");
        std::array<std::vector<double>, 2> sums;
        std::array<std::vector<float>, 2> reduced;
        std::array<bool, 2> unusedStaysEmpty{};
        std::array<float, 2> broadcasted{};
        onTwoRanks(freeishPort(), [&](ProcessGroupContext &group) {
            const int r = group.rank();
            sums[static_cast<std::size_t>(r)] = group.sumScalars({1.0 + r, 10.0 * r}, "test sum");
            at::Tensor used = at::full({3}, static_cast<float>(r + 1)).set_requires_grad(true);
            at::Tensor unused = at::zeros({2}).set_requires_grad(true);
            at::Tensor onlyRank1 = at::zeros({1}).set_requires_grad(true);
            at::Tensor loss = (used * used).sum() * 0.5;
            if (r == 1)
                loss = loss + onlyRank1.sum() * 4.0;
            loss.backward();
            GradientAllReduce allReduce(group, {used, unused, onlyRank1}, 8); // tiny buckets: several
            QVERIFY(allReduce.bucketCount() >= 2);
            allReduce.reduce();
            reduced[static_cast<std::size_t>(r)] = {used.grad()[0].item<float>(), onlyRank1.grad()[0].item<float>()};
            unusedStaysEmpty[static_cast<std::size_t>(r)] = !unused.grad().defined();
            at::Tensor weight = at::full({4}, static_cast<float>(r + 7));
            broadcastTensors(group, {weight}, 1);
            broadcasted[static_cast<std::size_t>(r)] = weight[3].item<float>();
        });
        for (std::size_t r = 0; r < 2; ++r) {
            QCOMPARE(sums[r], std::vector<double>({3.0, 10.0}));
            QCOMPARE(reduced[r], std::vector<float>({3.0f, 4.0f})); // 1 + 2; 0 + 4
            QVERIFY(unusedStaysEmpty[r]);
            QCOMPARE(broadcasted[r], 8.0f);
        }
    }

    // `train --nproc 2` against one process, same config (global batch 16): per-step losses and
    // the final weights agree within float summation order (2e-5 absolute after 46 steps, measured
    // 8e-7), and validation/test metrics are equal.
    void twoRanksTrainAsOneRank()
    {
        if (!ProcessGroupContext::available())
            QSKIP("built without c10d's Gloo headers (libgloo-dev)");
        const QString project = QString::fromStdString(m_project.string());
        const QStringList common = {"train", "--project", project, "--dataset", "demo", "--config",
                                    QString::fromStdString(m_config.string()), "--snapshot",
                                    QString::number(m_snapshot), "--json"};
        nlohmann::json a;
        nlohmann::json b;
        test::runOnOneAndTwoRanks(common, 300000, a, b);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(b["valid"]["metrics"], a["valid"]["metrics"]);
        QCOMPARE(b["test"]["metrics"], a["test"]["metrics"]);

        Database db(m_project, Database::Mode::OpenExisting);
        RunRepository runs(db);
        const RunRecord runA = runs.load(a["run"].get<std::int64_t>());
        const RunRecord runB = runs.load(b["run"].get<std::int64_t>());
        const auto lossA = runs.metrics(runA.id, "loss");
        const auto lossB = runs.metrics(runB.id, "loss");
        QCOMPARE(lossB.size(), lossA.size());
        QVERIFY(lossA.size() >= 30);
        qInfo("%zu steps compared", lossA.size());
        for (std::size_t i = 0; i < lossA.size(); ++i)
            QVERIFY2(std::abs(lossA[i].value - lossB[i].value) < 1e-4, qPrintable(QString::number(i)));
        const auto weightsA = weightsOf(runs.resolve(runA.checkpointLast));
        const auto weightsB = weightsOf(runs.resolve(runB.checkpointLast));
        QCOMPARE(weightsB.size(), weightsA.size());
        double worst = 0.0;
        for (std::size_t i = 0; i < weightsA.size(); ++i)
            worst = std::max(worst, (weightsA[i] - weightsB[i]).abs().max().item<double>());
        qInfo("largest weight difference between 1 and 2 ranks: %g", worst);
        QVERIFY2(worst < 2e-5, qPrintable("largest weight difference " + QString::number(worst)));
    }

    // An alternate run with `--nproc 2` against one process: the ID phase's step losses and the
    // round's generator agree within float summation order, so Algorithm 1 gives the same IDs
    // (round 0's split across the ranks, round 1's from the two generators) and the test metrics
    // are the same.
    void alternateRunTwoRanksAsOneRank()
    {
        if (!ProcessGroupContext::available())
            QSKIP("built without c10d's Gloo headers (libgloo-dev)");
        T5Config shape = T5Config::byName("tiny");
        shape.dropoutRate = 0.0;
        const auto shapeFile = m_scratch.write("generator-tiny.json", shape.toJson().dump());
        const auto config = m_scratch.write("alternate.toml", alternateConfig(shapeFile));
        const QString project = QString::fromStdString(m_project.string());
        const QStringList common = {"train", "--project", project, "--dataset", "demo", "--config",
                                    QString::fromStdString(config.string()), "--json"};
        nlohmann::json a; // the one-process run warm-starts the project's generator
        nlohmann::json b;
        test::runOnOneAndTwoRanks(common, 600000, a, b);
        if (QTest::currentTestFailed())
            return;

        Database db(m_project, Database::Mode::OpenExisting);
        RunRepository runs(db);
        const std::int64_t runA = a["run"].get<std::int64_t>();
        const std::int64_t runB = b["run"].get<std::int64_t>();
        const auto lossA = runs.metrics(runA, "id_loss");
        const auto lossB = runs.metrics(runB, "id_loss");
        QCOMPARE(lossA.size(), std::size_t(6));
        QCOMPARE(lossB.size(), lossA.size());
        for (std::size_t i = 0; i < lossA.size(); ++i)
            QVERIFY2(std::abs(lossA[i].value - lossB[i].value) < 1e-4,
                     qPrintable(QString("step %1: %2 vs %3").arg(i).arg(lossA[i].value).arg(lossB[i].value)));
        const auto generatorA = weightsOf(runs.runFolder(runA) / "round-1" / "generator.ckpt");
        const auto generatorB = weightsOf(runs.runFolder(runB) / "round-1" / "generator.ckpt");
        double worst = 0.0;
        for (std::size_t i = 0; i < generatorA.size(); ++i)
            worst = std::max(worst, (generatorA[i] - generatorB[i]).abs().max().item<double>());
        qInfo("largest generator weight difference after the ID phase, 1 vs 2 ranks: %g", worst);
        QVERIFY2(worst < 2e-5, qPrintable("largest weight difference " + QString::number(worst)));

        const auto roundsA = runs.snapshots(runA);
        const auto roundsB = runs.snapshots(runB);
        QCOMPARE(roundsA.size(), std::size_t(2));
        QCOMPARE(roundsB.size(), roundsA.size());
        IdSnapshotRepository snapshots(db);
        for (std::size_t r = 0; r < roundsA.size(); ++r) {
            const IdSnapshot x = snapshots.load(roundsA[r].second);
            const IdSnapshot y = snapshots.load(roundsB[r].second);
            QVERIFY2(x.items.tokens == y.items.tokens, qPrintable(QString("round %1's item IDs differ").arg(r)));
            QVERIFY2(x.users.tokens == y.users.tokens, qPrintable(QString("round %1's user IDs differ").arg(r)));
        }
        QCOMPARE(b["test"]["metrics"], a["test"]["metrics"]);
    }

    // An alternate run's ranks started torchrun-style, rank 1 killed inside the ID phase: rank 0
    // ends naming the phase, the run is interrupted with the round's generator-last.ckpt, and it
    // resumes in one process to the end.
    void rankKilledInTheIdPhaseInterruptsTheAlternateRun()
    {
        if (!ProcessGroupContext::available())
            QSKIP("built without c10d's Gloo headers (libgloo-dev)");
        T5Config shape = T5Config::byName("tiny");
        shape.dropoutRate = 0.0;
        const auto shapeFile = m_scratch.write("generator-tiny.json", shape.toJson().dump());
        std::string text = alternateConfig(shapeFile);
        text.replace(text.find("steps_per_round = 6"), 19, "steps_per_round = 400");
        text.replace(text.find("epochs = 1\nsteps"), 10, "epochs = 60");
        const auto config = m_scratch.write("alternate-long.toml", text);
        const QStringList arguments = {"train", "--project", QString::fromStdString(m_project.string()), "--dataset",
                                       "demo", "--config", QString::fromStdString(config.string()), "--json"};
        const KilledRankOutcome killed = killRankOneAt(arguments, freeishPort() + 2, "id_loss", 5, 90000);
        verifyRankZeroFailed(killed, "ID phase of round 1");
        if (QTest::currentTestFailed())
            return;
        const std::int64_t run = killed.run;
        {
            Database db(m_project, Database::Mode::OpenExisting);
            RunRepository runs(db);
            QCOMPARE(QString::fromStdString(runs.load(run).status), QString("interrupted"));
            QVERIFY(std::filesystem::exists(runs.runFolder(run) / "round-1" / "generator-last.ckpt"));
        }
        const test::CliResult resumed = test::runCli(
            {"resume", "--project", QString::fromStdString(m_project.string()), "--run", QString::number(run), "--json"},
            600000);
        QVERIFY2(resumed.code == 0, resumed.all().c_str());
        QVERIFY2(resumed.out.find("resuming the ID phase of round 1") != std::string::npos, resumed.out.c_str());
        QCOMPARE(test::lastJsonLine(resumed.out)["status"].get<std::string>(), std::string("done"));
    }

    // Ranks started torchrun-style (environment variables), rank 1 killed mid-epoch: rank 0 ends
    // with an error naming the failure, the run is interrupted with last.ckpt, and it resumes in
    // one process to the end.
    void killedRankInterruptsTheRunWhichResumes()
    {
        if (!ProcessGroupContext::available())
            QSKIP("built without c10d's Gloo headers (libgloo-dev)");
        const QString project = QString::fromStdString(m_project.string());
        const QStringList arguments = {"train", "--project", project, "--dataset", "demo", "--config",
                                       QString::fromStdString(m_longConfig.string()), "--snapshot",
                                       QString::number(m_snapshot), "--json"};
        const KilledRankOutcome killed = killRankOneAt(arguments, freeishPort() + 1, "loss", 30, 60000); // mid-epoch 2
        verifyRankZeroFailed(killed, "rank 0:");
        if (QTest::currentTestFailed())
            return;
        const std::int64_t run = killed.run;
        {
            Database db(m_project, Database::Mode::OpenExisting);
            const RunRecord record = RunRepository(db).load(run);
            QCOMPARE(QString::fromStdString(record.status), QString("interrupted"));
            QVERIFY(!record.checkpointLast.empty());
            QVERIFY(RunRepository(db).metrics(run, "loss").size() < 12 * 23);
        }
        const test::CliResult resumed =
            test::runCli({"resume", "--project", project, "--run", QString::number(run), "--json"}, 300000);
        QVERIFY2(resumed.code == 0, resumed.all().c_str());
        QVERIFY2(resumed.out.find("resuming run") != std::string::npos, resumed.out.c_str());
        QCOMPARE(test::lastJsonLine(resumed.out)["status"].get<std::string>(), std::string("done"));
    }

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    std::filesystem::path m_config;
    std::filesystem::path m_longConfig;
    std::int64_t m_snapshot = 0;
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "test_distributed.moc"
