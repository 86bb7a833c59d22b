// The ID scheme registry and the schemes whose IDs are numbers or new tokens (random, atomic,
// cid): uniqueness, determinism, the co-occurrence graph of the training split, CID's clusters
// following the graph's components, and a vocabulary extended by a snapshot's added tokens from
// assignment through a trained and reloaded recommender to decoded, readable IDs.
#include "data/DemoDataset.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/SnapshotVocabulary.h"
#include "ids/schemes/IdScheme.h"
#include "ids/schemes/cid/CooccurrenceGraph.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "model/VocabularyGrowth.h"
#include "recommend/RecommenderSetup.h"
#include "recommend/UserDecoding.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "support/TestSupport.h"
#include "text/TokenizerRepository.h"
#include "train/RecommenderConfig.h"
#include "train/RecommenderTraining.h"
#include "train/RunRepository.h"

#include <ATen/ATen.h>

#include <set>

using namespace idgen;
using test::errorOf;

namespace {

JobEvents quiet;

const char *kTinyConfig = R"(
[model]
size = "tiny"
[data]
max_history = 8
max_prompt_tokens = 96
templates_per_sample = 1
[train]
epochs = 1
batch = 16
learning_rate = 0.003
seed = 3
[validation]
users = 10
beams = 5
[test]
beams = 5
)";

// Two groups of items that no user mixes: items 0..19 and 20..39, each user's sequence from one
// group; item 40 is only ever a last (test) item, so the training split never links it.
Dataset twoCommunities()
{
    Dataset d;
    for (int i = 0; i < 41; ++i)
        d.itemRawIds.push_back("i" + std::to_string(i));
    d.itemFields.resize(d.itemRawIds.size());
    d.sequenceOffsets.push_back(0);
    for (int user = 0; user < 60; ++user) {
        d.userRawIds.push_back("u" + std::to_string(user));
        const std::uint32_t base = user % 2 == 0 ? 0 : 20;
        for (int step = 0; step < 6; ++step)
            d.sequenceItems.push_back(base + static_cast<std::uint32_t>((user * 7 + step * 3) % 20));
        d.sequenceItems.push_back(user % 2 == 0 ? 40 : base); // test item
        d.sequenceOffsets.push_back(d.sequenceItems.size());
    }
    return d;
}

// Asks for a stop once `count` training-loss points have been recorded.
class StopAfterSteps final : public JobEvents {
public:
    explicit StopAfterSteps(int count) : m_count(count) {}
    void metric(const MetricPoint &point) override
    {
        if (point.name == "loss" && ++m_seen >= m_count)
            m_flag = true;
    }
    StopToken token() const { return StopToken(&m_flag); }

private:
    int m_count;
    int m_seen = 0;
    std::atomic<bool> m_flag{false};
};

std::string firstToken(const std::string &text)
{
    return text.substr(0, text.find(' '));
}

} // namespace

class TestIdSchemes : public QObject {
    Q_OBJECT

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    Dataset m_demo;
    std::optional<Tokenizer> m_tokenizer;

    IdSnapshot build(const std::string &scheme, nlohmann::json schemeOptions = nlohmann::json::object(),
                     const Dataset *dataset = nullptr)
    {
        IdAssignmentOptions options;
        options.dataset = "demo";
        options.scheme = scheme;
        options.schemeOptions = std::move(schemeOptions);
        return buildIdSnapshot(dataset ? *dataset : m_demo, *m_tokenizer, options, quiet);
    }

    // A new atomic snapshot of the demo, saved in the project.
    static IdSnapshot assignAtomic(const Database &db)
    {
        IdAssignmentOptions options;
        options.dataset = "demo";
        options.scheme = "atomic";
        return IdSnapshotRepository(db).load(assignIds(db, options, quiet).snapshot.id);
    }

    static void verifyUnique(const IdSnapshot &snapshot, std::size_t items)
    {
        QCOMPARE(snapshot.items.size(), items);
        QCOMPARE(std::set<std::string>(snapshot.items.texts.begin(), snapshot.items.texts.end()).size(), items);
        QCOMPARE(std::set<std::vector<int>>(snapshot.items.tokens.begin(), snapshot.items.tokens.end()).size(), items);
        QCOMPARE(snapshot.items.stats.unique, items);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_project = m_scratch.path("schemes.idgenrec");
        DemoOptions demo;
        demo.version = 1;
        demo.items = 40;
        demo.users = 60;
        demo.minSequence = 4;
        demo.maxSequence = 12;
        test::createDemoProject(m_project, demo, 300);
        Database db(m_project, Database::Mode::OpenExisting);
        m_demo = DatasetRepository(db).load("demo");
        m_tokenizer.emplace(TokenizerRepository(db).load("demo", "default"));
    }

    void registryListsEverySchemeWithItsNeedsAndOptions()
    {
        const std::vector<std::string> names = idSchemeNames();
        for (const char *name : {"sequential", "random", "title", "textual", "file", "atomic", "cid"})
            QVERIFY2(std::find(names.begin(), names.end(), name) != names.end(), name);
        const nlohmann::json listing = idSchemesJson();
        QCOMPARE(listing.size(), names.size());
        for (const auto &scheme : listing) {
            QVERIFY(!scheme["description"].get<std::string>().empty());
            QVERIFY(scheme["needs"].is_array());
            if (scheme["name"] == "textual")
                QVERIFY(scheme["needs"].dump().find("generator model") != std::string::npos);
            if (scheme["name"] == "cid")
                QVERIFY(scheme["options"].dump().find("\"clusters\"") != std::string::npos);
        }
        QVERIFY(errorOf([&] { build("numbers"); }).contains("'numbers' is not known"));
        QVERIFY(errorOf([&] { build("random", {{"clusters", 4}}); }).contains("--clusters belongs to the cid"));
        QVERIFY(errorOf([&] { build("cid", {{"clusters", "many"}}); }).contains("--clusters: 'many' is not an integer"));
        QVERIFY(errorOf([&] { build("cid", {{"clusters", 1}}); }).contains("--clusters: 1 is outside 2..1024"));
    }

    // The registry's schemes keep their IDs and record what they did.
    void everySnapshotRecordsItsSchemeFigures()
    {
        const IdSnapshot sequential = build("sequential");
        QCOMPARE(sequential.items.texts.front().empty(), false);
        QCOMPARE(sequential.record.meanIdTokens, sequential.items.stats.meanTokens);
        QVERIFY(sequential.record.collisionsBeforeDedup.has_value());
        QVERIFY(sequential.record.seconds >= 0.0);
        const IdSnapshot cid = build("cid", {{"clusters", 3}, {"leaf-size", 6}});
        QCOMPARE(cid.options["clusters"].get<int>(), 3);
        QCOMPARE(cid.options["leaf_size"].get<int>(), 6);
        QVERIFY(cid.record.codeUsage.size() >= 2);
        const nlohmann::json stats = cid.statsJson();
        QVERIFY(stats["scheme"]["code_usage"][0].contains("entropy"));
        QVERIFY(stats["scheme"]["code_usage"][0].contains("unused"));
        IdSnapshot reread;
        reread.readStatsJson(stats);
        QCOMPARE(reread.addedTokens, cid.addedTokens);
        QCOMPARE(reread.record.toJson(), cid.record.toJson());
    }

    void randomIdsAreUniqueAndSeeded()
    {
        const IdSnapshot a = build("random", {{"seed", 7}});
        verifyUnique(a, m_demo.itemCount());
        QCOMPARE(build("random", {{"seed", 7}}).items.texts, a.items.texts);
        QVERIFY(build("random", {{"seed", 8}}).items.texts != a.items.texts);
        // Default range: a shuffle of 1..N, so the same numbers as the sequential scheme.
        std::set<std::string> numbers(a.items.texts.begin(), a.items.texts.end());
        const IdSnapshot sequential = build("sequential");
        QCOMPARE(numbers, std::set<std::string>(sequential.items.texts.begin(), sequential.items.texts.end()));
        const IdSnapshot wide = build("random", {{"seed", 7}, {"range", 100000}});
        verifyUnique(wide, m_demo.itemCount());
        QVERIFY(errorOf([&] { build("random", {{"range", 3}}); }).contains("fewer numbers than"));
    }

    void atomicIdsAreOneNewTokenEach()
    {
        const IdSnapshot atomic = build("atomic");
        verifyUnique(atomic, m_demo.itemCount());
        QCOMPARE(atomic.addedTokens.size(), m_demo.itemCount());
        const int base = m_tokenizer->vocabSize();
        for (std::size_t item = 0; item < m_demo.itemCount(); ++item) {
            QCOMPARE(atomic.items.texts[item], "<a_" + std::to_string(item) + ">");
            QCOMPARE(atomic.items.tokens[item], std::vector<int>{base + static_cast<int>(item)});
        }
        QCOMPARE(build("atomic").items.tokens, atomic.items.tokens);
        QCOMPARE(atomic.record.codeUsage.at(0).used, m_demo.itemCount());
    }

    // Only items[:-2] of each user link items: d and e below are validation and test items.
    void cooccurrenceGraphSeesOnlyTheTrainingSplit()
    {
        Dataset d;
        d.userRawIds = {"u"};
        d.itemRawIds = {"a", "b", "c", "d", "e"};
        d.itemFields.resize(5);
        d.sequenceOffsets = {0, 5};
        d.sequenceItems = {0, 1, 2, 3, 4};
        const CooccurrenceGraph all = CooccurrenceGraph::ofTrainingSplit(d, 0);
        QCOMPARE(all.edgeCount(), std::size_t(3)); // a-b, a-c, b-c
        QCOMPARE(all.isolatedItems(), std::size_t(2));
        QCOMPARE(std::vector<std::uint32_t>(all.neighboursOf(0).begin(), all.neighboursOf(0).end()),
                 std::vector<std::uint32_t>({1, 2}));
        const CooccurrenceGraph adjacent = CooccurrenceGraph::ofTrainingSplit(d, 1);
        QCOMPARE(adjacent.edgeCount(), std::size_t(2)); // a-b, b-c
    }

    void cidSeparatesDisconnectedComponentsAtTheFirstToken()
    {
        const Dataset d = twoCommunities();
        const IdSnapshot cid = build("cid", {{"clusters", 2}, {"leaf-size", 8}, {"seed", 5}}, &d);
        verifyUnique(cid, d.itemCount());
        std::set<std::string> first[2];
        for (std::size_t item = 0; item < 40; ++item)
            first[item < 20 ? 0 : 1].insert(firstToken(cid.items.texts[item]));
        QCOMPARE(first[0].size(), std::size_t(1));
        QCOMPARE(first[1].size(), std::size_t(1));
        QVERIFY(*first[0].begin() != *first[1].begin());
        QVERIFY(cid.items.texts[0].rfind("<c_1_", 0) == 0);
        QVERIFY(cid.items.texts[0].find("<c_leaf_") != std::string::npos);
        QCOMPARE(cid.record.details["isolated_items"].get<int>(), 1); // item 40, only ever a test item
        // Deterministic: same seed, same IDs; tokens are the extended tokenizer's encoding.
        QCOMPARE(build("cid", {{"clusters", 2}, {"leaf-size", 8}, {"seed", 5}}, &d).items.texts, cid.items.texts);
        const Tokenizer extended = extendForSnapshot(*m_tokenizer, cid);
        for (std::size_t item = 0; item < d.itemCount(); ++item) {
            QCOMPARE(extended.encode(cid.items.texts[item], false), cid.items.tokens[item]);
            QCOMPARE(extended.decode(cid.items.tokens[item]), cid.items.texts[item]);
        }
        // On the demo: unique and deterministic with the defaults too.
        const IdSnapshot demo = build("cid", {{"leaf-size", 5}, {"clusters", 3}});
        verifyUnique(demo, m_demo.itemCount());
        QCOMPARE(build("cid", {{"leaf-size", 5}, {"clusters", 3}}).items.texts, demo.items.texts);
    }

    void tokenizerReadsAndWritesAddedTokens()
    {
        Tokenizer extended = Tokenizer::fromBytes(m_tokenizer->modelBytes());
        const int base = extended.vocabSize();
        extended.addTokens({"<a_0>", "<a_1>"});
        QCOMPARE(extended.vocabSize(), base + 2);
        QCOMPARE(extended.pieceCount(), base);
        QCOMPARE(extended.pieceToId("<a_1>"), base + 1);
        QCOMPARE(extended.idToPiece(base), std::string("<a_0>"));
        const std::vector<int> ids = extended.encode("bought <a_1> ; <a_0><a_1> then <b_2>", false);
        QVERIFY(std::count(ids.begin(), ids.end(), base + 1) == 2);
        QVERIFY(std::count(ids.begin(), ids.end(), base) == 1);
        QCOMPARE(extended.decode(std::vector<int>{base, base + 1}), std::string("<a_0> <a_1>"));
        QVERIFY(extended.contentHash() != m_tokenizer->contentHash());
        // Text without added tokens encodes as before.
        QCOMPARE(extended.encode("rose oil"), m_tokenizer->encode("rose oil"));
        QVERIFY(errorOf([&] { extended.addTokens({"<a_0>"}); }).contains("already in the vocabulary"));
        QVERIFY(errorOf([&] { extended.addTokens({"a 0"}); }).contains("must be written <name>"));
    }

    // Snapshot -> a recommender trained a few steps -> its checkpoint -> reloaded -> decoded:
    // the model's tables have a row per added token, the checkpoint records them, and decoding
    // and its trace write them as they are.
    void vocabularyExtensionRoundTrip()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        IdAssignmentOptions options;
        options.dataset = "demo";
        options.scheme = "atomic";
        const IdAssignmentReport report = assignIds(db, options, quiet);
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(report.snapshot.id);
        QCOMPARE(snapshot.addedTokens.size(), m_demo.itemCount());
        QCOMPARE(IdSnapshotRepository(db).findByText(snapshot.id, IdKind::Item, "<a_7>")->index, std::int64_t(7));

        const auto config = m_scratch.write("tiny.toml", kTinyConfig);
        const std::int64_t runId = trainRecommender(db, TrainRequest{"demo", config.string(), snapshot.id, ""}, quiet);
        RunRepository runs(db);
        const RunRecord run = runs.load(runId);
        QCOMPARE(QString::fromStdString(run.status), QString("done"));
        const auto checkpoint = runs.resolve(run.checkpointBest);
        const LoadedModel model = loadModel(checkpoint);
        const int extendedSize = m_tokenizer->vocabSize() + static_cast<int>(m_demo.itemCount());
        QCOMPARE(static_cast<int>(model.state.config["model"]["vocab_size"].get<int>()), extendedSize);
        QCOMPARE(model.state.extra["added_tokens"].get<std::vector<std::string>>(), snapshot.addedTokens);
        QCOMPARE(model.state.extra["tokenizer_hash"].get<std::string>(),
                 loadSnapshotTokenizer(db, snapshot).contentHash());

        UserDecodeRequest request;
        request.checkpoint = checkpoint;
        request.snapshot = snapshot.id;
        request.userRawId = m_demo.userRawIds.front();
        request.beams = 5;
        request.trace = true;
        request.maxHistory = 8;
        request.maxPromptTokens = 96;
        const UserDecodeResult result = decodeUser(db, request);
        QCOMPARE(result.ranked.size(), std::size_t(5));
        for (const RankedItem &item : result.ranked)
            QVERIFY2(item.idText.rfind("<a_", 0) == 0, item.idText.c_str());
        QVERIFY(result.prompt.find("<a_") != std::string::npos);
        QVERIFY(result.traceJson.dump().find("\"piece\":\"<a_") != std::string::npos);

        // The model made for these tokens is refused for a snapshot with other added tokens.
        options.scheme = "cid";
        options.schemeOptions = {{"clusters", 3}, {"leaf-size", 6}};
        const std::int64_t cid = assignIds(db, options, quiet).snapshot.id;
        QVERIFY(errorOf([&] { loadRecommenderSetup(db, checkpoint, cid, "cpu"); }).contains("tokenizer"));
    }

    // `idgenrec model init --snapshot S` makes a model for an atomic snapshot's tokens: a row per
    // added token, the tokens recorded, accepted by the decoder for S; a model initialised for the
    // dataset's tokenizer alone is refused for S, and a snapshot of another dataset is an error.
    void modelInitForASnapshotFitsIt()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const IdSnapshot snapshot = assignAtomic(db);
        const QString project = QString::fromStdString(m_project.string());
        const QString id = QString::number(snapshot.id);
        const auto fitted = m_scratch.path("init-atomic.ckpt");
        const test::CliResult init = test::runCli({"model", "init", "--project", project, "--dataset", "demo", "--snapshot",
                                                   id, "--config", "tiny", "--out", QString::fromStdString(fitted.string()),
                                                   "--json"});
        QVERIFY2(init.code == 0, init.all().c_str());
        const LoadedModel model = loadModel(fitted);
        QCOMPARE(model.model->config().vocabSize,
                 static_cast<std::int64_t>(m_tokenizer->vocabSize()) + static_cast<std::int64_t>(m_demo.itemCount()));
        QCOMPARE(model.state.extra["added_tokens"].get<std::vector<std::string>>(), snapshot.addedTokens);
        QCOMPARE(errorOf([&] { (void)loadRecommenderSetup(db, fitted, snapshot.id, "cpu"); }), QString());

        const auto plain = m_scratch.path("init-plain.ckpt");
        const test::CliResult initPlain = test::runCli({"model", "init", "--project", project, "--dataset", "demo",
                                                        "--config", "tiny", "--out", QString::fromStdString(plain.string())});
        QVERIFY2(initPlain.code == 0, initPlain.all().c_str());
        QVERIFY(errorOf([&] { (void)loadRecommenderSetup(db, plain, snapshot.id, "cpu"); }).contains("tokenizer"));

        const test::CliResult other = test::runCli({"model", "init", "--project", project, "--dataset", "other",
                                                    "--snapshot", id, "--out", QString::fromStdString(plain.string())});
        QVERIFY(other.code != 0);
        QVERIFY2(other.err.find("belongs to dataset 'demo', not 'other'") != std::string::npos, other.all().c_str());
    }

    // A run on an atomic snapshot stopped after 3 steps resumes from last.ckpt (the extended
    // vocabulary's tables and optimizer state) and ends with the weights of an uninterrupted run.
    void stoppedRunOnAddedTokensResumesBitForBit()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const std::int64_t snapshot = assignAtomic(db).id;
        const auto config = m_scratch.write("tiny-resume.toml", kTinyConfig);
        const TrainRequest request{"demo", config.string(), snapshot, ""};
        RunRepository runs(db);
        const std::int64_t whole = trainRecommender(db, request, quiet);

        StopAfterSteps stopper(3);
        TrainingControl control;
        control.stop = stopper.token();
        const std::int64_t stopped = trainRecommender(db, request, stopper, control);
        QCOMPARE(QString::fromStdString(runs.load(stopped).status), QString("stopped"));
        QCOMPARE(runs.metrics(stopped, "loss").size(), std::size_t(3));
        resumeRecommender(db, stopped, quiet);
        const RunRecord resumed = runs.load(stopped);
        QCOMPARE(QString::fromStdString(resumed.status), QString("done"));
        QCOMPARE(runs.metrics(stopped, "loss").size(), runs.metrics(whole, "loss").size());

        const LoadedModel a = loadModel(runs.resolve(runs.load(whole).checkpointLast));
        const LoadedModel b = loadModel(runs.resolve(resumed.checkpointLast));
        QCOMPARE(b.state.extra["added_tokens"], a.state.extra["added_tokens"]);
        const auto parametersA = a.model->parameters();
        const auto parametersB = b.model->parameters();
        QCOMPARE(parametersB.size(), parametersA.size());
        for (std::size_t i = 0; i < parametersA.size(); ++i)
            QVERIFY2(at::equal(parametersA[i], parametersB[i]), qPrintable(QString("parameter %1").arg(i)));
    }

    // Starting weights written for the dataset's own tokenizer (`idgenrec model init` without
    // --snapshot, an alternate run's round-0 recommender) grow to a snapshot's added tokens: the
    // saved rows fill the first rows of the embedding table, the new rows keep their own
    // initialisation, every other tensor loads as saved; a larger saved vocabulary is refused.
    void startingWeightsGrowToTheSnapshotsTokens()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const IdSnapshot snapshot = assignAtomic(db);
        const Tokenizer extended = loadSnapshotTokenizer(db, snapshot);
        T5Config config = T5Config::byNameOrFile("tiny");
        config.vocabSize = m_tokenizer->vocabSize();
        const auto initial = m_scratch.path("dataset-tokenizer.ckpt");
        writeInitialModel(initial, config, "recommender", 5);
        const LoadedModel saved = loadModel(initial);

        T5Config grown = config;
        grown.vocabSize = extended.vocabSize();
        at::manual_seed(9);
        T5Model model(grown);
        const at::Tensor newRows = model.shared->weight.narrow(0, config.vocabSize, grown.vocabSize - config.vocabSize).clone();
        at::manual_seed(11);
        const at::Tensor expectedDraw = at::rand({4});
        at::manual_seed(11);
        QCOMPARE(loadWeightsGrowingVocabulary(initial, model), config.vocabSize);
        QVERIFY(at::equal(at::rand({4}), expectedDraw)); // the caller's random stream is untouched
        QVERIFY(at::equal(model.shared->weight.narrow(0, 0, config.vocabSize), saved.model->shared->weight));
        QVERIFY(at::equal(model.shared->weight.narrow(0, config.vocabSize, grown.vocabSize - config.vocabSize), newRows));
        const auto savedParameters = saved.model->named_parameters();
        for (const auto &item : model.named_parameters())
            if (item.key() != "shared.weight")
                QVERIFY2(at::equal(item.value(), savedParameters[item.key()]), item.key().c_str());

        // The grown model decodes the snapshot's tokens: its logits cover every added id.
        const at::Tensor ids = at::tensor(std::vector<std::int64_t>{snapshot.items.tokens[7].front()}, at::kLong).view({1, 1});
        model.eval();
        const at::Tensor logits = model.decode(ids, model.encode(ids));
        QCOMPARE(logits.size(2), static_cast<std::int64_t>(extended.vocabSize()));

        // Weights saved for more tokens than the model has are refused, naming the file.
        T5Config smaller = config;
        smaller.vocabSize = config.vocabSize - 1;
        T5Model tooSmall(smaller);
        const QString message = errorOf([&] { loadWeightsGrowingVocabulary(initial, tooSmall); });
        QVERIFY2(message.contains("dataset-tokenizer.ckpt") && message.contains("larger"), qPrintable(message));
    }

    // A training config's [ids] scheme takes every registered scheme the dataset alone can feed;
    // the others (a generator model, a baseline run, a file) are errors naming the key and line.
    void trainingConfigSchemesFromTheRegistry()
    {
        for (const auto &scheme : allIdSchemes()) {
            const std::string text = "[train]\nepochs = 1\n[ids]\nscheme = \"" + scheme->name() + "\"\n";
            if (!scheme->needs().external()) {
                QCOMPARE(QString::fromStdString(RecommenderConfig::parse(text, "c", "c.toml").scheme),
                         QString::fromStdString(scheme->name()));
                continue;
            }
            const InputError error = test::inputErrorOf([&] { RecommenderConfig::parse(text, "c", "c.toml"); });
            QCOMPARE(error.line(), std::uint64_t{4});
            const QString message = error.what();
            QVERIFY2(message.contains("c.toml:4") && message.contains("ids.scheme") &&
                         message.contains("idgenrec ids assign"),
                     qPrintable(message));
        }
        for (const char *name : {"atomic", "cid", "rqvae", "random"})
            QVERIFY(!idSchemeByName(name).needs().external());
        for (const char *name : {"textual", "letter", "file"})
            QVERIFY(idSchemeByName(name).needs().external());
        const QString unknown = errorOf([] { RecommenderConfig::parse("[ids]\nscheme = \"tiger\"\n", "c", "c.toml"); });
        QVERIFY2(unknown.contains("c.toml:2") && unknown.contains("'tiger'") && unknown.contains("rqvae"),
                 qPrintable(unknown));
    }
};

QTEST_GUILESS_MAIN(TestIdSchemes)
#include "test_id_schemes.moc"
