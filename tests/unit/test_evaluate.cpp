// Full-ranking evaluation: HR/NDCG against hand-computed values, leak-free evaluation prompts,
// the batched evaluator against one-user decoding, the stored result, the CLI, and the Hugging
// Face export that the published pipeline's anchor loads.
#include "data/DemoDataset.h"
#include "data/Prompts.h"
#include "recommend/UserDecoding.h"
#include "eval/EvaluationCase.h"
#include "eval/EvaluationStore.h"
#include "eval/FullRankingEvaluator.h"
#include "eval/RankingMetrics.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "model/HfExport.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "store/Statement.h"
#include "support/TestSupport.h"
#include "text/TokenizerJob.h"
#include "text/TokenizerRepository.h"

#include <ATen/ATen.h>


#include <cmath>

using namespace idgen;

class TestEvaluate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_project = m_scratch.path("evaluate.idgenrec");
        DemoOptions demo;
        demo.items = 40;
        demo.users = 60;
        demo.minSequence = 1; // users too short for a validation or any evaluation sample
        demo.maxSequence = 30;
        test::createDemoProject(m_project, demo, 300);
        Database db(m_project);
        JobEvents quiet;
        IdAssignmentOptions ids;
        ids.dataset = "demo";
        ids.scheme = "sequential";
        m_snapshot = assignIds(db, ids, quiet).snapshot.id;
        T5Config config = T5Config::byName("tiny");
        config.vocabSize = TokenizerRepository(db).get("demo", "default").vocabSize;
        m_checkpoint = m_scratch.path("recommender.ckpt");
        writeInitialModel(m_checkpoint, config, "recommender", 7);
    }

    void metricsMatchHandComputedValues()
    {
        RankingMetrics metrics({5, 10});
        for (const std::optional<int> rank : {std::optional<int>(1), std::optional<int>(3), std::optional<int>(),
                                              std::optional<int>(10)})
            metrics.add(rank);
        QCOMPARE(metrics.users(), std::size_t(4));
        QCOMPARE(metrics.hitRate(5), 0.5);
        QCOMPARE(metrics.ndcg(5), (1.0 + 0.5) / 4.0); // 1/log2(2) + 1/log2(4)
        QCOMPARE(metrics.hitRate(10), 0.75);
        QVERIFY(std::abs(metrics.ndcg(10) - (1.5 + 1.0 / std::log2(11.0)) / 4.0) < 1e-12);
        QCOMPARE(metrics.toJson()["hr@10"].get<double>(), 0.75);
        QVERIFY(!test::errorOf([&] { metrics.hitRate(20); }).isEmpty());
        QCOMPARE(RankingMetrics::cutoffsFor(3), std::vector<int>({3}));
        QCOMPARE(RankingMetrics::cutoffsFor(10), std::vector<int>({5, 10}));
        QCOMPARE(RankingMetrics::cutoffsFor(50), std::vector<int>({5, 10, 20}));
    }

    // method.md section 3, derived here from the raw sequence rather than through leaveOneOut.
    void evaluationPromptsHoldOutTheirTargets()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Dataset dataset = DatasetRepository(db).load("demo");
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(m_snapshot);
        const auto expectedPrompt = [&](std::size_t user, std::size_t end) {
            const auto items = dataset.sequence(user);
            std::vector<std::string> history;
            for (std::size_t i = end > 20 ? end - 20 : 0; i < end; ++i)
                history.push_back(snapshot.items.texts[items[i]]);
            return PromptTemplates::render(PromptTemplates::kEvaluation, snapshot.users.texts[user], history);
        };
        std::size_t shortUsers = 0;
        for (std::size_t user = 0; user < dataset.userCount(); ++user) {
            const auto items = dataset.sequence(user);
            const auto test = evaluationCase(dataset, snapshot, user, EvaluationSplit::Test);
            const auto valid = evaluationCase(dataset, snapshot, user, EvaluationSplit::Valid);
            QCOMPARE(test.has_value(), items.size() >= 2);
            QCOMPARE(valid.has_value(), items.size() >= 3);
            shortUsers += items.size() < 3 ? 1 : 0;
            if (test) {
                QCOMPARE(test->target, items.back());
                QCOMPARE(test->prompt, expectedPrompt(user, items.size() - 1));
            }
            if (valid) {
                QCOMPARE(valid->target, items[items.size() - 2]);
                QCOMPARE(valid->prompt, expectedPrompt(user, items.size() - 2));
            }
        }
        QVERIFY2(shortUsers > 0, "the demo should include users too short for a validation sample");
        QVERIFY(!test::errorOf([] { parseSplit("train"); }).isEmpty());
    }

    // Batching, sorting by prompt length and mapping ranks back must give each user exactly what
    // decoding that user alone gives.
    void batchedEvaluationEqualsOneUserDecoding()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Dataset dataset = DatasetRepository(db).load("demo");
        EvaluationRequest request;
        request.checkpoint = m_checkpoint;
        request.snapshot = m_snapshot;
        request.beams = 40; // every item ranked: every target gets a rank
        request.maxUsers = 12;
        request.usersPerCall = 5;
        const EvaluationResult result = evaluateRecommender(db, request);
        QCOMPARE(result.users.size(), std::size_t(12));
        RankingMetrics expected(RankingMetrics::cutoffsFor(40));
        for (std::size_t i = 0; i < result.users.size(); ++i) {
            UserDecodeRequest one;
            one.checkpoint = m_checkpoint;
            one.snapshot = m_snapshot;
            one.userRawId = dataset.userRawIds[result.users[i]];
            one.beams = request.beams;
            const UserDecodeResult alone = decodeUser(db, one);
            QVERIFY(alone.targetRank.has_value());
            QCOMPARE(result.targetRanks[i], *alone.targetRank);
            expected.add(alone.targetRank);
        }
        QCOMPARE(result.metrics.toJson(), expected.toJson());

        QVERIFY(result.id.has_value());
        Statement row(db.handle(), "SELECT split, beams, users, metrics, user_ranks FROM evaluations WHERE id = ?");
        row.bind(1, *result.id);
        QVERIFY(row.step());
        QCOMPARE(row.text(0), std::string("test"));
        QCOMPARE(row.integer(1), std::int64_t(40));
        QCOMPARE(row.integer(2), std::int64_t(12));
        QCOMPARE(nlohmann::json::parse(row.text(3)), expected.toJson());
        const auto ranks = nlohmann::json::parse(row.text(4));
        QCOMPARE(ranks.size(), std::size_t(12));
        QCOMPARE(ranks[0][1].get<int>(), result.targetRanks[0]);

        const auto stored = listEvaluations(db, m_snapshot);
        QCOMPARE(stored.size(), std::size_t(1));
        QCOMPARE(stored[0].id, *result.id);
        QCOMPARE(stored[0].metrics, expected.toJson());
        QCOMPARE(stored[0].users, std::int64_t(12));
        QVERIFY(listEvaluations(db, m_snapshot + 1).empty());
    }

    void validationSkipsShortUsers()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Dataset dataset = DatasetRepository(db).load("demo");
        std::size_t withValid = 0;
        for (std::size_t user = 0; user < dataset.userCount(); ++user)
            withValid += dataset.sequence(user).size() >= 3 ? 1 : 0;
        EvaluationRequest request;
        request.checkpoint = m_checkpoint;
        request.snapshot = m_snapshot;
        request.split = EvaluationSplit::Valid;
        request.beams = 3;
        request.store = false;
        const EvaluationResult result = evaluateRecommender(db, request);
        QCOMPARE(result.users.size(), withValid);
        QCOMPARE(result.skippedUsers, dataset.userCount() - withValid);
        QVERIFY(!result.id.has_value());
        QCOMPARE(result.metrics.cutoffs(), std::vector<int>({3}));
    }

    void evaluateCommandReportsMetricsAndErrors()
    {
        const QString project = QString::fromStdString(m_project.string());
        const QString checkpoint = QString::fromStdString(m_checkpoint.string());
        const test::CliResult evaluated = test::runCli({"evaluate", "--project", project, "--checkpoint", checkpoint, "--snapshot",
                                QString::number(m_snapshot), "--beams", "10", "--users", "6", "--no-store", "--json"});
        QVERIFY2(evaluated.code == 0, evaluated.all().c_str());
        const auto result = test::lastJsonLine(evaluated.out);
        QCOMPARE(result["users"].get<int>(), 6);
        QVERIFY(result["metrics"].contains("hr@10") && result["metrics"].contains("ndcg@5"));
        QVERIFY(result["users_per_s"].get<double>() > 0.0);
        const test::CliResult listed = test::runCli({"evaluations", "--project", project, "--json"});
        QVERIFY2(listed.code == 0, listed.all().c_str());
        QCOMPARE(test::lastJsonLine(listed.out).size(), std::size_t(1)); // --no-store kept nothing

        const test::CliResult bad = test::runCli({"evaluate", "--project", project, "--checkpoint",
                                      QString::fromStdString(m_scratch.path("missing.ckpt").string()), "--snapshot",
                                      QString::number(m_snapshot)});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.all().find("missing.ckpt") != std::string::npos, bad.all().c_str());
    }

    // The folder transformers loads must hold exactly our model: loading it back gives the same logits.
    void hfExportRoundTripsTheModel()
    {
        const LoadedModel original = loadModel(m_checkpoint);
        const auto folder = m_scratch.path("hf");
        exportHfModel(*original.model, folder, "spiece bytes");
        QCOMPARE(test::readFile(folder / "spiece.model"), std::string("spiece bytes"));
        const auto config = nlohmann::json::parse(test::readFile(folder / "config.json"));
        QCOMPARE(config["model_type"].get<std::string>(), std::string("t5"));
        const LoadedModel reloaded = loadModel(folder);
        QCOMPARE(reloaded.state.kind, std::string("hugging-face"));
        QVERIFY(reloaded.model->config() == original.model->config());

        const at::Tensor input = at::randint(3, original.model->config().vocabSize, {2, 9}, at::kLong);
        T5Batch batch;
        batch.inputIds = input;
        batch.decoderInputIds = input.slice(1, 0, 4);
        at::NoGradGuard noGrad;
        const at::Tensor a = original.model->forward(batch).logits;
        const at::Tensor b = reloaded.model->forward(batch).logits;
        QVERIFY(at::equal(a, b));

        std::filesystem::remove(folder / "model.safetensors");
        QVERIFY(test::errorOf([&] { loadModel(folder); }).contains("model.safetensors"));
    }

    // A pretrained T5 pads its embedding table past its tokenizer (32,128 rows for 32,000 pieces).
    void modelVocabularyMayExceedTheTokenizers()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const std::int64_t pieces = TokenizerRepository(db).get("demo", "default").vocabSize;
        QCOMPARE(evaluateRecommender(db, quickRequest(freshModel(pieces + 28))).users.size(), std::size_t(3));
        const QString message = test::errorOf([&] { evaluateRecommender(db, quickRequest(freshModel(pieces - 1))); });
        QVERIFY2(message.contains("fewer than"), qPrintable(message));
    }

    // Same size, other pieces: the ids would mean other words, so a model records its tokenizer.
    void refusesAModelMadeForAnotherTokenizer()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Tokenizer tokenizer = TokenizerRepository(db).load("demo", "default");
        const auto madeFor = [&](const std::string &hash) {
            return quickRequest(freshModel(tokenizer.vocabSize(), {{"tokenizer_hash", hash}}));
        };
        QCOMPARE(evaluateRecommender(db, madeFor(tokenizer.contentHash())).users.size(), std::size_t(3));
        const QString message = test::errorOf([&] { evaluateRecommender(db, madeFor("0123")); });
        QVERIFY2(message.contains("another tokenizer"), qPrintable(message));
    }

    // Runs last: it replaces the project's tokenizer.
    void refusesSnapshotsOfAReplacedTokenizer()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        JobEvents quiet;
        TokenizerOptions tokenizer;
        tokenizer.vocabSize = 300;
        trainDatasetTokenizer(db, "demo", "default", tokenizer, quiet);
        EvaluationRequest request;
        request.checkpoint = m_checkpoint;
        request.snapshot = m_snapshot;
        const QString message = test::errorOf([&] { evaluateRecommender(db, request); });
        QVERIFY2(message.contains("replaced or removed"), qPrintable(message));
    }

private:
    // A fresh tiny recommender with this vocabulary and checkpoint extra, written once per call.
    std::filesystem::path freshModel(std::int64_t vocab, const nlohmann::json &extra = nlohmann::json::object())
    {
        T5Config config = T5Config::byName("tiny");
        config.vocabSize = vocab;
        const auto path = m_scratch.path("model-" + std::to_string(++m_models) + ".ckpt");
        writeInitialModel(path, config, "recommender", 3, extra);
        return path;
    }

    // Three test users, four beams, nothing stored.
    EvaluationRequest quickRequest(const std::filesystem::path &checkpoint) const
    {
        EvaluationRequest request;
        request.checkpoint = checkpoint;
        request.snapshot = m_snapshot;
        request.beams = 4;
        request.maxUsers = 3;
        request.store = false;
        return request;
    }

    int m_models = 0;
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    std::filesystem::path m_checkpoint;
    std::int64_t m_snapshot = 0;
};

QTEST_GUILESS_MAIN(TestEvaluate)
#include "test_evaluate.moc"
