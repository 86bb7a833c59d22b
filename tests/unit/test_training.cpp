// Recommender training runs: samples, prompts assembled from tokens, the config reader, the run's
// metrics against `evaluate`, stop + resume = an uninterrupted run, SIGKILL then resume.
#include "data/DemoDataset.h"
#include "data/Prompts.h"
#include "data/Split.h"
#include "eval/FullRankingEvaluator.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "support/TestSupport.h"
#include "text/TokenizerJob.h"
#include "text/TokenizerRepository.h"
#include "train/PromptAssembler.h"
#include "train/RecommenderConfig.h"
#include "train/RecommenderTraining.h"
#include "train/RunRepository.h"
#include "train/Seq2SeqTrainer.h"
#include "train/TrainingSamples.h"

#include <ATen/ATen.h>

#include <QProcess>

#include <cmath>
#include <thread>

using namespace idgen;

namespace {

// A config small enough that a run of 3 epochs takes seconds: tiny T5, 30 validation users.
const char *kTinyConfig = R"(
[ids]
scheme = "sequential"
[model]
size = "tiny"
[data]
max_history = 8
max_prompt_tokens = 96
templates_per_sample = 2
[train]
epochs = 3
batch = 16
learning_rate = 0.003
seed = 3
[validation]
users = 30
beams = 10
[test]
beams = 10
[checkpoint]
every_steps = 4
every_minutes = 0.0
)";

// Stops a run after a given number of training steps (the metric callback sees every step).
class StopAfter final : public JobEvents {
public:
    explicit StopAfter(std::int64_t steps) : m_steps(steps) {}
    void metric(const MetricPoint &point) override
    {
        if (point.name == "loss" && point.step >= m_steps)
            m_flag = true;
    }
    StopToken token() const { return StopToken(&m_flag); }

private:
    std::int64_t m_steps;
    std::atomic<bool> m_flag{false};
};

Dataset handMade()
{
    Dataset d;
    d.userRawIds = {"u1", "u2"};
    d.itemRawIds = {"a", "b", "c", "d", "e"};
    d.itemFields.resize(5);
    d.sequenceOffsets = {0, 5, 8};
    d.sequenceItems = {0, 1, 2, 3, 4, /* u2 */ 4, 3, 2};
    return d;
}

std::vector<at::Tensor> parameters(const std::filesystem::path &checkpoint)
{
    std::vector<at::Tensor> out;
    for (const auto &p : loadModel(checkpoint).model->parameters())
        out.push_back(p.detach().clone());
    return out;
}

} // namespace

class TestTraining : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_config = m_scratch.write("tiny.toml", kTinyConfig);
        m_project = m_scratch.path("train.idgenrec");
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
        ids.scheme = "title";
        m_snapshot = assignIds(db, ids, quiet).snapshot.id;
    }

    // method.md section 3 on a hand-made sequence: items[:-2] gives the samples, no target is in
    // its own history, the history is cut to the last maxHistory items.
    void samplesFollowLeaveOneOut()
    {
        const Dataset d = handMade();
        const auto samples = trainingSamples(d, 2);
        // u1 = a b c d e: train part a b c -> (a)->b, (a b)->c; u2 = e d c: train part e -> none.
        QCOMPARE(samples.size(), std::size_t(2));
        QCOMPARE(samples[0].target, 1u);
        QCOMPARE(std::vector<std::uint32_t>(sampleHistory(d, samples[0]).begin(), sampleHistory(d, samples[0]).end()),
                 std::vector<std::uint32_t>({0}));
        QCOMPARE(samples[1].target, 2u);
        QCOMPARE(std::vector<std::uint32_t>(sampleHistory(d, samples[1]).begin(), sampleHistory(d, samples[1]).end()),
                 std::vector<std::uint32_t>({0, 1}));
        for (const auto &s : samples) {
            const auto history = sampleHistory(d, s);
            QVERIFY(std::find(history.begin(), history.end(), s.target) == history.end());
        }
        // The test history includes the validation item; validation never sees the test item.
        const UserSplit split = leaveOneOut(d.sequence(0), 20);
        QCOMPARE(split.test.front().history, std::vector<std::uint32_t>({0, 1, 2, 3}));
        QCOMPARE(split.valid.front().history, std::vector<std::uint32_t>({0, 1, 2}));
        // maxHistory cuts from the front.
        Dataset longer = handMade();
        longer.sequenceItems = {0, 1, 2, 3, 4, 4, 3, 2};
        QCOMPARE(trainingSamples(longer, 1)[1].historyLength, 1u);
        QCOMPARE(trainingSamples(longer, 1)[1].historyBegin, std::uint64_t(1));
    }

    // Prompts assembled from pre-encoded pieces are the ids the evaluator's full encoding gives.
    void assembledPromptsEqualEncodedText()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Dataset dataset = DatasetRepository(db).load("demo");
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(m_snapshot);
        const Tokenizer tokenizer = TokenizerRepository(db).load("demo", "default");
        PromptAssembler prompts(tokenizer, snapshot, 64);
        const auto samples = trainingSamples(dataset, 8);
        std::vector<PromptAssembler::Case> cases;
        for (std::size_t i = 0; i < samples.size(); i += 7)
            cases.push_back({i % PromptTemplates::count(), samples[i].user, sampleHistory(dataset, samples[i])});
        QVERIFY(prompts.verify(cases));
        QVERIFY(prompts.assembling());
        for (const auto &c : cases) {
            const auto built = prompts.build(c.templateIndex, c.user, c.history);
            QVERIFY(built.size() <= 64);
            QCOMPARE(built, encodeSource(tokenizer, prompts.render(c.templateIndex, c.user, c.history), 64));
        }
    }

    void epochBatchesAreDeterministicAndComplete()
    {
        const auto length = [](const TrainingExample &e) { return std::size_t(e.sample % 13); };
        const auto a = epochBatches(100, 3, 16, 5, 2, length);
        QCOMPARE(epochBatches(100, 3, 16, 5, 2, length), a);
        QVERIFY(epochBatches(100, 3, 16, 5, 3, length) != a);
        std::map<std::uint32_t, std::set<int>> templates;
        std::size_t examples = 0;
        for (const auto &batch : a) {
            QVERIFY(batch.size() <= 16);
            examples += batch.size();
            for (const auto &e : batch) {
                QVERIFY(e.templateIndex < PromptTemplates::kTrainingCount); // never the held-out one
                templates[e.sample].insert(e.templateIndex);
            }
        }
        QCOMPARE(examples, std::size_t(300));
        QCOMPARE(templates.size(), std::size_t(100));
        for (const auto &[sample, used] : templates)
            QCOMPARE(used.size(), std::size_t(3)); // three distinct templates per sample
    }

    void scheduleAndLossAveraging()
    {
        QCOMPARE(scheduledLearningRate(1.0, 0, 100, 0.05), 0.2);
        QCOMPARE(scheduledLearningRate(1.0, 4, 100, 0.05), 1.0);
        QCOMPARE(scheduledLearningRate(1.0, 100, 100, 0.05), 0.0);
        QCOMPARE(scheduledLearningRate(0.5, 7, 0, 0.05), 0.5);
        // Two rows, targets of 1 and 3 tokens: the per-sample mean weighs rows equally.
        at::manual_seed(1);
        const at::Tensor logits = at::randn({2, 3, 5});
        const at::Tensor labels = at::tensor({1, -100, -100, 2, 3, 4}, at::kLong).view({2, 3});
        const at::Tensor perToken =
            at::cross_entropy_loss(logits.reshape({-1, 5}), labels.reshape({-1}), {}, at::Reduction::None, -100)
                .view({2, 3});
        const double row0 = perToken[0][0].item<double>();
        const double row1 = perToken[1].sum().item<double>() / 3.0;
        QVERIFY(std::abs(T5Model::sampleMeanLoss(logits, labels).item<double>() - (row0 + row1) / 2.0) < 1e-6);
        QVERIFY(std::abs(T5Model::loss(logits, labels).item<double>() - perToken.sum().item<double>() / 4.0) < 1e-6);
    }

    void unknownConfigKeysAreErrors()
    {
        const InputError error = test::inputErrorOf(
            [] { RecommenderConfig::parse("[train]\nepochs = 2\nepochz = 3\n", "bad", "bad.toml"); });
        QCOMPARE(QString::fromStdString(error.field()), QString("train.epochz"));
        QCOMPARE(error.line(), std::uint64_t(3));
        QCOMPARE(QString::fromStdString(error.file()), QString("bad.toml"));
        const InputError section = test::inputErrorOf([] { RecommenderConfig::parse("[trian]\n", "bad", "bad.toml"); });
        QCOMPARE(QString::fromStdString(section.field()), QString("trian"));
        const InputError type =
            test::inputErrorOf([] { RecommenderConfig::parse("[train]\nbatch = \"big\"\n", "bad", "bad.toml"); });
        QCOMPARE(QString::fromStdString(type.field()), QString("train.batch"));
        const InputError range =
            test::inputErrorOf([] { RecommenderConfig::parse("[train]\nbatch = 0\n", "bad", "bad.toml"); });
        QCOMPARE(QString::fromStdString(range.field()), QString("train.batch"));
        QVERIFY(!test::errorOf([] { RecommenderConfig::load("no-such-config"); }).isEmpty());
        for (const char *name : {"demo", "beauty-cpu", "beauty-gpu"})
            QCOMPARE(QString::fromStdString(RecommenderConfig::load(name).name), QString(name));
    }

    // The run's test metrics are those `evaluate` gives on its best checkpoint; everything it
    // measured is in the project file.
    void runMetricsEqualEvaluateOnBestCheckpoint()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        JobEvents quiet;
        TrainRequest request{"demo", m_config.string(), m_snapshot, ""};
        const std::int64_t id = trainRecommender(db, request, quiet);
        RunRepository runs(db);
        const RunRecord run = runs.load(id);
        QCOMPARE(QString::fromStdString(run.status), QString("done"));
        QCOMPARE(run.kind, std::string("recommender"));
        QCOMPARE(*run.snapshot, m_snapshot);
        QVERIFY(run.config.find("epochs = 3") != std::string::npos);
        QVERIFY(run.summary["best_epoch"].get<int>() >= 1);
        QCOMPARE(run.summary["validation_users"].get<int>(), 30);
        EvaluationRequest evaluate;
        evaluate.checkpoint = runs.resolve(run.checkpointBest);
        evaluate.snapshot = m_snapshot;
        evaluate.beams = 10;
        evaluate.maxHistory = 8;
        evaluate.maxPromptTokens = 96;
        evaluate.store = false;
        const EvaluationResult result = evaluateRecommender(db, evaluate);
        QCOMPARE(result.metrics.toJson(), run.summary["test"]["metrics"]);
        // Every step's loss, every epoch's validation metrics, the test metrics.
        QCOMPARE(runs.metrics(id, "loss").size(), static_cast<std::size_t>(run.summary["steps"].get<int>()));
        QCOMPARE(runs.metrics(id, "hr@10").size(), std::size_t(3 + 1));
        const auto losses = runs.metrics(id, "epoch_loss");
        QCOMPARE(losses.size(), std::size_t(3));
        QVERIFY2(losses.back().value < losses.front().value, "the loss should fall over three epochs");
    }

    // Stopped after 7 steps and resumed: the same weights and metrics as an uninterrupted run.
    void stopAndResumeEqualsUninterrupted()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        JobEvents quiet;
        TrainRequest request{"demo", m_config.string(), m_snapshot, ""};
        const std::int64_t whole = trainRecommender(db, request, quiet);

        StopAfter stopper(7);
        TrainingControl control;
        control.stop = stopper.token();
        const std::int64_t split = trainRecommender(db, request, stopper, control);
        RunRepository runs(db);
        QCOMPARE(QString::fromStdString(runs.load(split).status), QString("stopped"));
        QVERIFY(!test::errorOf([&] { resumeRecommender(db, whole, quiet); }).isEmpty()); // done: nothing to resume
        resumeRecommender(db, split, quiet);

        const RunRecord a = runs.load(whole);
        const RunRecord b = runs.load(split);
        QCOMPARE(QString::fromStdString(b.status), QString("done"));
        QCOMPARE(b.summary["test"]["metrics"], a.summary["test"]["metrics"]);
        QCOMPARE(b.summary["valid"]["metrics"], a.summary["valid"]["metrics"]);
        QCOMPARE(b.summary["steps"], a.summary["steps"]);
        const auto wa = parameters(runs.resolve(a.checkpointLast));
        const auto wb = parameters(runs.resolve(b.checkpointLast));
        QCOMPARE(wa.size(), wb.size());
        for (std::size_t i = 0; i < wa.size(); ++i)
            QVERIFY2(at::equal(wa[i], wb[i]), "a resumed run must end with bit-identical weights");
        // The step losses after the stop are the uninterrupted run's.
        const auto la = runs.metrics(whole, "loss");
        const auto lb = runs.metrics(split, "loss");
        QCOMPARE(lb.size(), la.size());
        QCOMPARE(lb.back().value, la.back().value);
    }

    // Paused at a step boundary, the run shows "paused" and takes no step until released.
    void pauseHoldsTheRunInTheSameProcess()
    {
        std::atomic<bool> pause{false};
        class PauseAt final : public JobEvents {
        public:
            explicit PauseAt(std::atomic<bool> &flag) : m_flag(flag) {}
            void metric(const MetricPoint &point) override
            {
                if (point.name == "loss" && point.step == 3)
                    m_flag = true;
                steps = point.name == "loss" ? point.step : steps.load();
            }
            std::atomic<std::int64_t> steps{0};

        private:
            std::atomic<bool> &m_flag;
        } events(pause);
        TrainingControl control;
        control.pause = &pause;
        std::int64_t id = 0;
        control.onRunCreated = [&](std::int64_t run) { id = run; };
        std::thread worker([&] {
            Database db(m_project, Database::Mode::OpenExisting);
            trainRecommender(db, TrainRequest{"demo", m_config.string(), m_snapshot, ""}, events, control);
        });
        std::string status;
        for (int i = 0; i < 300 && status != "paused"; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (id > 0) {
                Database db(m_project, Database::Mode::OpenExisting);
                status = RunRepository(db).load(id).status;
            }
        }
        QCOMPARE(QString::fromStdString(status), QString("paused"));
        const std::int64_t held = events.steps;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        QCOMPARE(events.steps.load(), held);
        QCOMPARE(held, std::int64_t(3));
        pause = false;
        worker.join();
        Database db(m_project, Database::Mode::OpenExisting);
        QCOMPARE(QString::fromStdString(RunRepository(db).load(id).status), QString("done"));
    }

    // A CLI run killed with SIGKILL shows as interrupted, the project is intact, and it resumes
    // from its last checkpoint to the end.
    void killedRunResumesFromItsCheckpoint()
    {
        const QString project = QString::fromStdString(m_project.string());
        QProcess training;
        training.start(QString(IDGEN_CLI_PATH), {"train", "--project", project, "--dataset", "demo", "--config",
                                                  QString::fromStdString(m_config.string()), "--snapshot",
                                                  QString::number(m_snapshot), "--json"});
        QVERIFY(training.waitForStarted());
        std::int64_t id = 0;
        bool checkpointed = false;
        for (int i = 0; i < 600 && !checkpointed; ++i) {
            training.waitForReadyRead(100);
            if (id == 0 && training.canReadLine()) {
                const auto first = nlohmann::json::parse(training.readLine().toStdString());
                id = first.value("run", std::int64_t(0));
            }
            if (id > 0) {
                Database db(m_project, Database::Mode::OpenExisting);
                const RunRecord run = RunRepository(db).load(id);
                checkpointed = !run.checkpointLast.empty() && RunRepository(db).metrics(id, "loss").size() >= 6;
            }
        }
        QVERIFY2(checkpointed, "the run never wrote a checkpoint");
        training.kill(); // SIGKILL
        training.waitForFinished();

        {
            Database db(m_project, Database::Mode::OpenExisting); // opening marks it interrupted
            QCOMPARE(QString::fromStdString(RunRepository(db).load(id).status), QString("interrupted"));
            auto check = db.prepare("PRAGMA integrity_check");
            QVERIFY(check.step());
            QCOMPARE(QString::fromStdString(check.text(0)), QString("ok"));
        }
        const test::CliResult resumed =
            test::runCli({"resume", "--project", project, "--run", QString::number(id), "--json"});
        QVERIFY2(resumed.code == 0, resumed.all().c_str());
        QVERIFY2(resumed.out.find("resuming run") != std::string::npos, resumed.out.c_str());
        const auto outcome = test::lastJsonLine(resumed.out);
        QCOMPARE(outcome["status"].get<std::string>(), std::string("done"));
        QVERIFY(outcome["test"]["metrics"].contains("hr@10"));

        const test::CliResult listed = test::runCli({"runs", "--project", project, "--json"});
        QVERIFY2(listed.code == 0, listed.all().c_str());
        const QString csv = QString::fromStdString(m_scratch.path("metrics.csv").string());
        const test::CliResult exported =
            test::runCli({"export", "metrics", "--project", project, "--run", QString::number(id), "--out", csv});
        QVERIFY2(exported.code == 0, exported.all().c_str());
        const std::string text = test::readFile(csv.toStdString());
        QVERIFY(text.rfind("run,round,epoch,step,split,name,value\n", 0) == 0);
        QVERIFY(text.find(",test,hr@10,") != std::string::npos);
    }

    void stopCommandReachesARunningRun()
    {
        const QString project = QString::fromStdString(m_project.string());
        const test::CliResult notRunning = test::runCli({"stop", "--project", project, "--run", "1"});
        QCOMPARE(notRunning.code, 1);
        QVERIFY2(notRunning.all().find("not running") != std::string::npos, notRunning.all().c_str());
        const test::CliResult evaluated = test::runCli({"evaluate", "--project", project, "--run", "1", "--split",
                                                        "valid", "--beams", "10", "--no-store", "--json"});
        QVERIFY2(evaluated.code == 0, evaluated.all().c_str());
        QVERIFY(test::lastJsonLine(evaluated.out)["metrics"].contains("hr@10"));
    }

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    std::filesystem::path m_config;
    std::int64_t m_snapshot = 0;
};

QTEST_GUILESS_MAIN(TestTraining)
#include "test_training.moc"
