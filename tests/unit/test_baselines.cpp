// Baselines: the rank rule on a hand-made score matrix, pop and markov against hand-computed ranks,
// SASRec learning a deterministic successor rule (seeded, its files written), the config and its
// strictness, and `idgenrec baseline` recording runs in the project file.
#include "data/Dataset.h"
#include "data/DemoDataset.h"
#include "jobs/JobEvents.h"
#include "model/Safetensors.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "support/TestSupport.h"
#include "train/RunRepository.h"
#include "train/baselines/BaselineData.h"
#include "train/baselines/MarkovScorer.h"
#include "train/baselines/PopularityScorer.h"
#include "train/baselines/SasRecConfig.h"
#include "train/baselines/SasRecModel.h"
#include "train/baselines/SasRecTrainer.h"
#include "train/baselines/TargetRanks.h"

#include <ATen/ATen.h>

#include <QProcess>

#include <signal.h>

#include <cmath>
#include <sstream>

using namespace idgen;

namespace {

// Users' item sequences (dense item indices) as a dataset.
Dataset makeDataset(const std::vector<std::vector<std::uint32_t>> &sequences, std::size_t items)
{
    Dataset d;
    for (std::size_t i = 0; i < items; ++i) {
        d.itemRawIds.push_back("i" + std::to_string(i));
        d.itemFields.push_back(nullptr);
    }
    d.sequenceOffsets.push_back(0);
    for (std::size_t u = 0; u < sequences.size(); ++u) {
        d.userRawIds.push_back("u" + std::to_string(u));
        d.sequenceItems.insert(d.sequenceItems.end(), sequences[u].begin(), sequences[u].end());
        d.sequenceOffsets.push_back(d.sequenceItems.size());
    }
    d.validate();
    return d;
}

// The hand-made dataset of the pop and markov checks (items 0..4):
//   A [0 1 2 3 4]: train [0 1 2], valid -> 3, test -> 4
//   B [1 2 1 2 3]: train [1 2 1], valid -> 2, test -> 3
//   C [4 3 4 0 3]: train [4 3 4], valid -> 0, test -> 3
// Training counts: item 0: 1, 1: 3, 2: 2, 3: 1, 4: 2. Transitions: 0->1, 1->2 (twice), 2->1, 4->3,
// 3->4.
Dataset handMade()
{
    return makeDataset({{0, 1, 2, 3, 4}, {1, 2, 1, 2, 3}, {4, 3, 4, 0, 3}}, 5);
}

std::vector<std::int64_t> ranksOf(BaselineScorer &scorer, const std::vector<SplitSample> &samples)
{
    std::vector<std::int64_t> targets;
    for (const auto &s : samples)
        targets.push_back(s.target);
    const at::Tensor ranks = targetRanks(scorer.score(samples), at::tensor(targets, at::kLong)).contiguous();
    return {ranks.data_ptr<std::int64_t>(), ranks.data_ptr<std::int64_t>() + ranks.numel()};
}

double ndcg(std::initializer_list<int> ranks, int k)
{
    double sum = 0.0;
    for (const int r : ranks)
        sum += r <= k ? 1.0 / std::log2(r + 1.0) : 0.0;
    return sum / static_cast<double>(ranks.size());
}

// Every user walks the catalog in a circle: item i is always followed by item i + 1 (mod items).
Dataset successorDataset(std::size_t items, std::size_t users)
{
    std::vector<std::vector<std::uint32_t>> sequences;
    for (std::size_t u = 0; u < users; ++u) {
        std::vector<std::uint32_t> sequence;
        const std::size_t length = 6 + u % 7;
        for (std::size_t t = 0; t < length; ++t)
            sequence.push_back(static_cast<std::uint32_t>((u * 7 + t) % items));
        sequences.push_back(sequence);
    }
    return makeDataset(sequences, items);
}

SasRecConfig smallConfig()
{
    SasRecConfig c;
    c.hidden = 32;
    c.blocks = 1;
    c.heads = 2;
    c.dropout = 0.1;
    c.maxLength = 10;
    c.learningRate = 5e-3;
    c.batch = 32;
    c.epochs = 20;
    c.evalEvery = 5;
    c.patience = 100;
    c.seed = 7;
    return c;
}

struct CollectedEvents final : JobEvents {
    std::vector<MetricPoint> points;
    void metric(const MetricPoint &point) override { points.push_back(point); }
};

} // namespace

class TestBaselines : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_project = m_scratch.path("baselines.idgenrec");
        Database db(m_project);
        DemoOptions demo;
        demo.items = 60;
        demo.users = 80;
        DatasetRepository(db).save("demo", generateDemoDataset(demo));
    }

    // rank = 1 + #strictly higher + #equal with a lower item index.
    void ranksBreakTiesByItemIndex()
    {
        const at::Tensor scores = at::tensor({0.5f, 0.9f, 0.5f, 0.1f, //
                                              1.0f, 1.0f, 1.0f, 1.0f, //
                                              0.2f, 0.3f, 0.3f, 0.3f, //
                                              1.0f, 1.0f, 1.0f, 1.0f})
                                      .view({4, 4});
        const at::Tensor ranks = targetRanks(scores, at::tensor({2, 3, 2, 0}, at::kLong));
        QCOMPARE(ranks.scalar_type(), at::kLong);
        const std::vector<std::int64_t> got(ranks.data_ptr<std::int64_t>(), ranks.data_ptr<std::int64_t>() + 4);
        QCOMPARE(got, std::vector<std::int64_t>({3, 4, 2, 1}));
        QVERIFY(!test::errorOf([&] { targetRanks(scores, at::tensor({1, 2}, at::kLong)); }).isEmpty());
    }

    void splitHoldsOutValidationAndTest()
    {
        const BaselineSplit split = baselineSplit(handMade(), 50);
        QCOMPARE(split.train, (std::vector<std::vector<std::uint32_t>>{{0, 1, 2}, {1, 2, 1}, {4, 3, 4}}));
        QCOMPARE(split.valid.size(), std::size_t(3));
        QCOMPARE(split.valid[2].history, (std::vector<std::uint32_t>{4, 3, 4}));
        QCOMPARE(split.valid[2].target, 0u);
        QCOMPARE(split.test[2].history, (std::vector<std::uint32_t>{4, 3, 4, 0}));
        QCOMPARE(split.test[2].target, 3u);
        QCOMPARE(split.trainTargets(), std::size_t(6));
    }

    void popularityMatchesHandComputedRanks()
    {
        const BaselineSplit split = baselineSplit(handMade(), 50);
        PopularityScorer pop(split.train, split.items, at::kCPU);
        // Scores [1 3 2 1 2]: order 1, 2, 4 (tie with 2, higher index), 0, 3 (tie with 0).
        QCOMPARE(ranksOf(pop, split.valid), std::vector<std::int64_t>({5, 2, 4}));
        QCOMPARE(ranksOf(pop, split.test), std::vector<std::int64_t>({3, 5, 5}));
        const RankingMetrics valid = evaluateScorer(pop, split.valid, 2);
        QCOMPARE(valid.cutoffs(), std::vector<int>({5})); // five items fill only k = 5
        QCOMPARE(valid.users(), std::size_t(3));
        QVERIFY(std::abs(valid.ndcg(5) - ndcg({5, 2, 4}, 5)) < 1e-12);
    }

    void markovMatchesHandComputedRanks()
    {
        const BaselineSplit split = baselineSplit(handMade(), 50);
        MarkovScorer markov(split.train, split.items, at::kCPU);
        QCOMPARE(markov.transitions(), std::size_t(5));
        // Score = transitions from the last item + pop / (1 + 3), pop/4 = [.25 .75 .5 .25 .5].
        // Valid: A after 2 -> [.25 1.75 .5 .25 .5], target 3 rank 5 (1, 2, 4 above; 0 ties first);
        //        B after 1 -> item 2 gets 2.5, target 2 rank 1;
        //        C after 4 -> item 3 gets 1.25, target 0 rank 5.
        QCOMPARE(ranksOf(markov, split.valid), std::vector<std::int64_t>({5, 1, 5}));
        // Test: A after 3 -> item 4 gets 1.5, rank 1; B after 2, target 3 rank 5; C after 0, target 3 rank 5.
        QCOMPARE(ranksOf(markov, split.test), std::vector<std::int64_t>({1, 5, 5}));
        const RankingMetrics test = evaluateScorer(markov, split.test, 1);
        QVERIFY(std::abs(test.ndcg(5) - ndcg({1, 5, 5}, 5)) < 1e-12);
        // An empty history falls back to popularity.
        const std::vector<SplitSample> empty{{{}, 3}};
        QCOMPARE(ranksOf(markov, empty), std::vector<std::int64_t>({5}));
    }

    void sasRecCrossEntropyLearnsTheSuccessorRule()
    {
        const BaselineSplit split = baselineSplit(successorDataset(40, 160), 10);
        SasRecTraining training;
        training.config = smallConfig();
        training.folder = m_scratch.path("sasrec-ce");
        CollectedEvents events;
        const SasRecOutcome outcome = trainSasRec(split, training, events, {});
        QVERIFY2(outcome.test["hr@5"].get<double>() > 0.95, outcome.test.dump().c_str());
        QVERIFY(!outcome.stopped);
        QCOMPARE(outcome.epochs, 20);
        QVERIFY(outcome.bestEpoch > 0);
        QCOMPARE(outcome.testUsers, std::size_t(160));

        // Metric points: a loss per epoch, valid per evaluation, test once.
        int losses = 0, valids = 0, tests = 0;
        for (const auto &p : events.points) {
            losses += p.split == "train" && p.name == "loss";
            valids += p.split == "valid" && p.name == "hr@10";
            tests += p.split == "test" && p.name == "hr@10";
        }
        QCOMPARE(losses, 20);
        QCOMPARE(valids, 4);
        QCOMPARE(tests, 1);

        // The files: best and last checkpoints, and the item embeddings, row i = item i.
        QVERIFY(std::filesystem::exists(outcome.bestCheckpoint));
        QVERIFY(std::filesystem::exists(outcome.lastCheckpoint));
        const SafetensorsFile embeddings(outcome.itemEmbeddings);
        QCOMPARE(embeddings.entry("item_embeddings").shape, (std::vector<std::int64_t>{40, 32}));

        // Same seed, same numbers.
        training.folder.clear();
        const SasRecOutcome again = trainSasRec(split, training, events, {});
        QCOMPARE(again.lastLoss, outcome.lastLoss);
        QCOMPARE(again.test, outcome.test);
    }

    void sasRecBinaryCrossEntropyTrainsAndStops()
    {
        const BaselineSplit split = baselineSplit(successorDataset(40, 160), 10);
        SasRecTraining training;
        training.config = smallConfig();
        training.config.bucketByLength = true;
        training.loss = SasRecLoss::BinaryCrossEntropy;
        CollectedEvents events;
        const SasRecOutcome outcome = trainSasRec(split, training, events, {});
        QVERIFY2(outcome.test["hr@10"].get<double>() > 0.5, outcome.test.dump().c_str());

        // A stop request ends the training at the next step; before any evaluation there is no test.
        int steps = 0;
        const SasRecOutcome stopped = trainSasRec(split, training, events, [&steps] { return ++steps > 12; });
        QVERIFY(stopped.stopped);
        QCOMPARE(stopped.steps, std::int64_t(12));
        QCOMPARE(stopped.bestEpoch, 0);
        QVERIFY(stopped.test.is_null());
    }

    // A window cut to the longest history computes what the full window computes.
    void sasRecNarrowWindowEqualsFullWindow()
    {
        at::manual_seed(3);
        SasRecModel model(30, smallConfig());
        model.eval();
        at::NoGradGuard noGrad;
        const std::vector<std::vector<std::uint32_t>> histories = {{4, 5, 6}, {7}, {1, 2, 3, 4}};
        at::Tensor full = at::zeros({3, 10}, at::kLong);
        for (std::int64_t r = 0; r < 3; ++r)
            writeLeftPadded(full.data_ptr<std::int64_t>() + r * 10, histories[static_cast<std::size_t>(r)], 10);
        const at::Tensor wide = model.forward(full).narrow(1, 6, 4);
        const at::Tensor narrow = model.forward(full.narrow(1, 6, 4).contiguous());
        QVERIFY((wide - narrow).abs().max().item<double>() < 1e-5);
        QVERIFY(narrow.select(1, 0).select(0, 1).abs().max().item<double>() == 0.0); // padding stays zero
        QVERIFY(!test::errorOf([&] { model.forward(at::ones({1, 11}, at::kLong)); }).isEmpty());
    }

    void configDefaultsAreTheShippedFile()
    {
        const std::string shipped = test::readFile(std::filesystem::path(IDGEN_TEST_FIXTURES) /
                                                   "../../resources/configs/sasrec.toml");
        QVERIFY(SasRecConfig::parse(shipped, "sasrec.toml") == SasRecConfig());
        QCOMPARE(sasRecDefaultConfigText(), shipped);
    }

    void unknownConfigKeyIsAnError()
    {
        const InputError error = test::inputErrorOf(
            [] { SasRecConfig::parse("[sasrec]\nhidden = 32\nhiden_units = 4\n", "bad.toml"); });
        QCOMPARE(error.field(), std::string("sasrec.hiden_units"));
        QCOMPARE(error.line(), std::uint64_t(3));
        QCOMPARE(error.file(), std::string("bad.toml"));
        QVERIFY(!test::errorOf([] { SasRecConfig::parse("[sasrec]\nhidden = 30\nheads = 4\n", "x"); }).isEmpty());
        QVERIFY(!test::errorOf([] { SasRecConfig::parse("[sasrec]\ndropout = 1.5\n", "x"); }).isEmpty());
        QVERIFY(!test::errorOf([] { SasRecConfig::parse("[sasrc]\nhidden = 32\n", "x"); }).isEmpty());
    }

    void cliRecordsABaselineRun()
    {
        const test::CliResult r = test::runCli({"baseline", "--project", qPath(m_project), "--dataset", "demo",
                                                "--model", "markov", "--json"});
        QVERIFY2(r.code == 0, r.all().c_str());
        const nlohmann::json first = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
        QCOMPARE(first["event"].get<std::string>(), std::string("run"));
        const nlohmann::json last = test::lastJsonLine(r.out);
        QCOMPARE(last["run"], first["run"]);
        QCOMPARE(last["status"].get<std::string>(), std::string("done"));
        QVERIFY(last["test"]["metrics"].contains("hr@10"));
        QVERIFY(last["valid"]["metrics"].contains("ndcg@20"));

        Database db(m_project, Database::Mode::OpenExisting);
        const RunRecord run = RunRepository(db).load(last["run"].get<std::int64_t>());
        QCOMPARE(run.kind, std::string("baseline"));
        QCOMPARE(run.name, std::string("markov"));
        QCOMPARE(run.summary["test"]["metrics"], last["test"]["metrics"]);
        const auto points = RunRepository(db).metrics(run.id, "hr@10");
        QCOMPARE(points.size(), std::size_t(2)); // valid and test
    }

    void cliTrainsSasRecWithAConfig()
    {
        const auto config = m_scratch.write("tiny.toml", "[sasrec]\nhidden = 16\nblocks = 1\nepochs = 2\n"
                                                         "eval_every = 1\nmax_length = 20\n");
        const test::CliResult r = test::runCli({"baseline", "--project", qPath(m_project), "--dataset", "demo",
                                                "--model", "sasrec-ce", "--config", qPath(config), "--json"});
        QVERIFY2(r.code == 0, r.all().c_str());
        const nlohmann::json last = test::lastJsonLine(r.out);
        QCOMPARE(last["status"].get<std::string>(), std::string("done"));
        QVERIFY(last["test"]["metrics"].contains("hr@10"));
        QCOMPARE(last["epochs"].get<int>(), 2);

        Database db(m_project, Database::Mode::OpenExisting);
        RunRepository runs(db);
        const RunRecord run = runs.load(last["run"].get<std::int64_t>());
        QCOMPARE(run.config, test::readFile(config));
        QCOMPARE(run.seed, std::uint64_t(42));
        QVERIFY(std::filesystem::exists(runs.resolve(run.checkpointBest)));
        QVERIFY(std::filesystem::exists(runs.resolve(run.summary["item_embeddings"].get<std::string>())));
        QCOMPARE(runs.metrics(run.id, "loss").size(), std::size_t(2));
        QCOMPARE(runs.metrics(run.id, "hr@10").size(), std::size_t(3)); // two evaluations and the test
    }

    // Ctrl-C: the run ends "stopped" at the next step, with its last checkpoint saved.
    void ctrlCStopsARunAndKeepsWhatItHas()
    {
        const auto config = m_scratch.write("long.toml", "[sasrec]\nhidden = 16\nblocks = 1\nepochs = 100000\n"
                                                         "eval_every = 1\nbatch = 16\n");
        QProcess process;
        process.start(QString(IDGEN_CLI_PATH), {"baseline", "--project", qPath(m_project), "--dataset", "demo",
                                                "--model", "sasrec-ce", "--config", qPath(config), "--json"});
        QVERIFY(process.waitForStarted());
        QByteArray out;
        // Wait for the first validation, so that there are best weights to keep.
        while (!out.contains("\"split\":\"valid\"") && process.state() == QProcess::Running) {
            process.waitForReadyRead(1000);
            out += process.readAllStandardOutput();
        }
        QVERIFY2(process.state() == QProcess::Running, out.constData());
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        out += process.readAllStandardOutput();
        QCOMPARE(process.exitCode(), 0);
        const nlohmann::json last = test::lastJsonLine(out.toStdString());
        QCOMPARE(last["status"].get<std::string>(), std::string("stopped"));
        QVERIFY(last["best_epoch"].get<int>() >= 1);
        QVERIFY(last["test"]["metrics"].contains("hr@10")); // the best weights so far, tested

        Database db(m_project, Database::Mode::OpenExisting);
        RunRepository runs(db);
        const RunRecord run = runs.load(last["run"].get<std::int64_t>());
        QCOMPARE(run.status, std::string("stopped"));
        QVERIFY(std::filesystem::exists(runs.resolve(run.checkpointLast)));
        QVERIFY(std::filesystem::exists(runs.resolve(run.checkpointBest)));
        QVERIFY(!runs.metrics(run.id, "loss").empty());
    }

    void cliRefusesBadInputWithoutARun()
    {
        const auto runsNow = [&] {
            Database db(m_project, Database::Mode::OpenExisting);
            return RunRepository(db).list().size();
        };
        const std::size_t before = runsNow();
        const auto bad = m_scratch.write("bad.toml", "[sasrec]\nhidden = 16\n\nlearning_rte = 0.01\n");
        test::CliResult r = test::runCli({"baseline", "--project", qPath(m_project), "--dataset", "demo", "--model",
                                          "sasrec-bce", "--config", qPath(bad)});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.find("bad.toml:4") != std::string::npos, r.err.c_str());
        QVERIFY2(r.err.find("learning_rte") != std::string::npos, r.err.c_str());

        r = test::runCli({"baseline", "--project", qPath(m_project), "--dataset", "demo", "--model", "gru4rec"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.find("sasrec-ce") != std::string::npos, r.err.c_str());

        r = test::runCli({"baseline", "--project", qPath(m_project), "--dataset", "nope", "--model", "pop"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.find("nope") != std::string::npos, r.err.c_str());
        QCOMPARE(runsNow(), before);
    }

private:
    static QString qPath(const std::filesystem::path &path) { return QString::fromStdString(path.string()); }

    test::Scratch m_scratch;
    std::filesystem::path m_project;
};

QTEST_GUILESS_MAIN(TestBaselines)
#include "test_baselines.moc"
