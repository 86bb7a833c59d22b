// IDGenRec's textual IDs end to end on a small demo catalog: TF-IDF keyword targets, the ID
// generator's warm start (loss falls, a stopped run resumes to the same weights), Algorithm 1 with
// the generator's diverse beam search, and `idgenrec decode` with a stored trace.
#include "data/DemoDataset.h"
#include "decode/BeamSearch.h"
#include "ids/GeneratorCandidates.h"
#include "ids/GeneratorWarmup.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/KeywordTargets.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "store/Statement.h"
#include "support/TestSupport.h"
#include "text/TokenizerJob.h"
#include "text/TokenizerRepository.h"

#include <ATen/ATen.h>


#include <set>

using namespace idgen;

namespace {

Dataset smallDemo()
{
    DemoOptions options;
    options.items = 150;
    options.users = 200;
    return generateDemoDataset(options);
}

GeneratorWarmupOptions tinyWarmup()
{
    GeneratorWarmupOptions options;
    options.config = "tiny";
    options.epochs = 2;
    options.batchSize = 16;
    options.learningRate = 3e-3;
    options.maxSourceTokens = 48;
    return options;
}

// Raises the stop flag once the job's progress passes a fraction.
class StopAfter final : public JobEvents {
public:
    explicit StopAfter(double fraction) : m_fraction(fraction) {}
    void progress(double fraction, std::string_view) override
    {
        if (fraction > m_fraction)
            m_flag = true;
    }
    StopToken token() const { return StopToken(&m_flag); }

private:
    double m_fraction;
    std::atomic<bool> m_flag{false};
};

} // namespace

class TestTextualIds : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_project = m_scratch.path("textual.idgenrec");
        Database db(m_project);
        DatasetRepository(db).save("demo", smallDemo());
        JobEvents quiet;
        TokenizerOptions options;
        options.vocabSize = 400;
        trainDatasetTokenizer(db, "demo", "default", options, quiet);
    }

    void keywordTargetsPickRareWordsInTextOrder()
    {
        const std::vector<std::string> texts = {
            "title: calvin klein truth perfume; brand: calvin klein; description: an oriental perfume",
            "title: rose oil; brand: acme; price: 5",
            "title: rose water; brand: acme; price: 5",
            "title: the a of; brand: x"};
        const auto targets = keywordTargets(texts, 2);
        QCOMPARE(targets.size(), texts.size());
        // "calvin", "klein" and "perfume" occur twice in item 0 and nowhere else: the top two by
        // TF-IDF come out in the order the text has them; labels never count.
        QCOMPARE(targets[0], std::string("calvin klein"));
        // "acme" and "rose" are shared, "oil"/"water" are each item's own.
        QVERIFY(targets[1].find("oil") != std::string::npos);
        QVERIFY(targets[2].find("water") != std::string::npos);
        QVERIFY(targets[1].find("price") == std::string::npos);
        QCOMPARE(targets[3], std::string()); // stop words and single letters only
    }

    void warmStartLearnsAndResumesToTheSameWeights()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Dataset dataset = DatasetRepository(db).load("demo");
        const Tokenizer tokenizer = TokenizerRepository(db).load("demo", "default");
        JobEvents quiet;

        const auto whole = m_scratch.path("whole.ckpt");
        const GeneratorWarmupReport report = warmStartGenerator(dataset, tokenizer, tinyWarmup(), whole, quiet);
        QCOMPARE(report.epochsRun, 2);
        QVERIFY2(report.lastLoss < report.firstLoss, "the warm-up loss did not fall");
        QVERIFY(readCheckpointState(whole).extra.value("complete", false));
        // A finished warm-up is reused, not retrained.
        QCOMPARE(warmStartGenerator(dataset, tokenizer, tinyWarmup(), whole, quiet).epochsRun, 0);
        // ... but not for another tokenizer of the same size: its ids mean other pieces.
        TokenizerOptions bpe;
        bpe.type = "bpe";
        bpe.vocabSize = tokenizer.vocabSize();
        trainDatasetTokenizer(db, "demo", "bpe", bpe, quiet);
        const Tokenizer other = TokenizerRepository(db).load("demo", "bpe");
        QCOMPARE(other.vocabSize(), tokenizer.vocabSize());
        const auto retrained = m_scratch.path("retrained.ckpt");
        std::filesystem::copy_file(whole, retrained);
        QCOMPARE(warmStartGenerator(dataset, other, tinyWarmup(), retrained, quiet).epochsRun, 2);

        // Stopped in the second epoch, then run again: it continues after epoch 1 and ends with
        // exactly the weights of the uninterrupted run.
        const auto stopped = m_scratch.path("stopped.ckpt");
        StopAfter stopper(0.75);
        QVERIFY(test::errorOf([&] {
                    warmStartGenerator(dataset, tokenizer, tinyWarmup(), stopped, stopper, stopper.token());
                }).contains("cancelled"));
        QCOMPARE(readCheckpointState(stopped).epoch, std::int64_t(1));
        const GeneratorWarmupReport resumed = warmStartGenerator(dataset, tokenizer, tinyWarmup(), stopped, quiet);
        QVERIFY(resumed.resumed);
        QCOMPARE(resumed.epochsRun, 1);
        const auto a = loadModel(whole).model->named_parameters();
        const auto b = loadModel(stopped).model->named_parameters();
        for (const auto &entry : a)
            QVERIFY2(at::equal(entry.value(), b[entry.key()]), entry.key().c_str());
    }

    // The published generate(min_length=1, max_length=11) counts the decoder start token: 0 to 10
    // tokens, then 10 to 20 after a length escalation. A generator whose embedding table is larger
    // than the tokenizer never hands out ids past the tokenizer's end.
    void generatorCandidatesKeepHuggingFacesWindowAndTheTokenizersIds()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Tokenizer tokenizer = TokenizerRepository(db).load("demo", "default");
        T5Config config = T5Config::byName("tiny");
        config.vocabSize = tokenizer.vocabSize() + 128; // as pretrained T5 pads its table
        at::manual_seed(5);
        auto generator = std::make_shared<T5Model>(config);
        const std::vector<std::string> texts = {"title: rose oil; brand: acme; price: 5",
                                                "title: mint gel; brand: zest", "title: calvin klein truth perfume"};
        GeneratorCandidateSource source(*generator, tokenizer, texts, 10);
        const std::vector<std::size_t> entities = {0, 1, 2};
        CandidateSettings settings; // the published start: penalty 1, (1, 11)
        for (const auto &[minLength, maxLength] : {std::pair{1, 11}, std::pair{11, 21}}) {
            settings.minLength = minLength;
            settings.maxLength = maxLength;
            std::size_t atCap = 0;
            for (const auto &candidates : source.generate(entities, settings)) {
                QCOMPARE(candidates.size(), std::size_t(10));
                for (const auto &candidate : candidates) {
                    QVERIFY(candidate.size() >= static_cast<std::size_t>(minLength - 1));
                    QVERIFY(candidate.size() <= static_cast<std::size_t>(maxLength - 1));
                    atCap += candidate.size() == static_cast<std::size_t>(maxLength - 1) ? 1 : 0;
                    for (const int token : candidate)
                        QVERIFY(token >= 0 && token < tokenizer.vocabSize());
                }
            }
            QVERIFY(atCap > 0); // a random model rarely writes eos: most candidates reach the cap
        }
        // Without the limit the same search does write the padded table's ids.
        BeamSearchOptions options;
        options.beams = options.groups = 10;
        options.diversityPenalty = 1.0;
        options.maxLength = 10;
        std::vector<int> source0 = encodeSource(tokenizer, texts[0], 256);
        const at::Tensor ids = at::tensor(std::vector<std::int64_t>(source0.begin(), source0.end()), at::kLong).view({1, -1});
        bool pastTheEnd = false;
        const auto unlimited = BeamSearch(*generator, options).run(ids);
        for (const auto &h : unlimited.front().hypotheses)
            for (const auto token : h.tokens)
                pastTheEnd = pastTheEnd || token >= tokenizer.vocabSize();
        QVERIFY(pastTheEnd);
    }

    void textualSchemeGivesUniqueLeakFreeIds()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        IdAssignmentOptions options;
        options.dataset = "demo";
        options.scheme = "textual";
        options.warmup = tinyWarmup();
        options.generatorCheckpoint = m_scratch.path("generator.ckpt");
        JobEvents quiet;
        warmStartGenerator(DatasetRepository(db).load("demo"), TokenizerRepository(db).load("demo", "default"),
                           options.warmup, options.generatorCheckpoint, quiet);
        const IdAssignmentReport report = assignIds(db, options, quiet);
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(report.snapshot.id);
        QCOMPARE(snapshot.items.size(), std::size_t(150));
        QCOMPARE(snapshot.users.size(), std::size_t(200));
        QCOMPARE(std::set<std::string>(snapshot.items.texts.begin(), snapshot.items.texts.end()).size(),
                 std::size_t(150));
        QCOMPARE(std::set<std::string>(snapshot.users.texts.begin(), snapshot.users.texts.end()).size(),
                 std::size_t(200));
        for (const auto &tokens : snapshot.items.tokens) {
            QVERIFY(!tokens.empty());
            QVERIFY(tokens.size() <= 11 + 10 * 2 + 2); // length window, escalations, fallback suffix
        }
        QCOMPARE(snapshot.options["user_history"].get<std::string>(), std::string("leak-free"));
        QVERIFY(snapshot.options["generator"]["checkpoint"].get<std::string>().find("generator.ckpt") !=
                std::string::npos);
        QCOMPARE(report.items.entities, std::size_t(150));
        m_snapshot = report.snapshot.id;
    }

    void decodeCommandRanksItemsAndStoresTheTrace()
    {
        QVERIFY(m_snapshot > 0);
        const QString project = QString::fromStdString(m_project.string());
        const QString checkpoint = QString::fromStdString(m_scratch.path("recommender.ckpt").string());
        const test::CliResult init = test::runCli({"model", "init", "--project", project, "--dataset", "demo", "--config", "tiny",
                                        "--out", checkpoint});
        QVERIFY2(init.code == 0, init.all().c_str());
        Database db(m_project, Database::Mode::OpenExisting);
        const std::string user = DatasetRepository(db).load("demo").userRawIds[3];
        const test::CliResult decoded = test::runCli({"decode", "--project", project, "--checkpoint", checkpoint, "--snapshot",
                                QString::number(m_snapshot), "--user", QString::fromStdString(user), "--beams", "5",
                                "--trace", "--store-trace", "--json"});
        QVERIFY2(decoded.code == 0, decoded.all().c_str());
        const auto result = nlohmann::json::parse(decoded.out);
        QCOMPARE(result["ranked"].size(), std::size_t(5));
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(m_snapshot);
        for (const auto &r : result["ranked"])
            QCOMPARE(r["id"].get<std::string>(), snapshot.items.texts[r["item"].get<std::size_t>()]);
        QVERIFY(result["prompt"].get<std::string>().find(snapshot.users.texts[3]) != std::string::npos);
        QVERIFY(!result["trace"].empty());
        Statement count(db.handle(), "SELECT count(*) FROM decode_traces WHERE snapshot_id = ?");
        count.bind(1, m_snapshot);
        QVERIFY(count.step());
        QCOMPARE(count.integer(0), std::int64_t(1));

        const test::CliResult bad = test::runCli({"decode", "--project", project, "--checkpoint", checkpoint, "--snapshot",
                                      QString::number(m_snapshot), "--user", "nobody"});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.all().find("no user 'nobody'") != std::string::npos, bad.all().c_str());
    }

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    std::int64_t m_snapshot = 0;
};

QTEST_GUILESS_MAIN(TestTextualIds)
#include "test_textual_ids.moc"
