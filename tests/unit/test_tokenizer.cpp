// SentencePiece tokenizers through the run-time loaded module. This executable links LibTorch
// (through idgenrec_core), so merely running it shows that trap 1 of platform.md is handled:
// SentencePiece linked into it directly would crash before main.
#include "data/DemoDataset.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "support/TestSupport.h"
#include "text/SpmModule.h"
#include "text/TokenizerJob.h"
#include "util/Error.h"


#include <nlohmann/json.hpp>

#include <functional>
#include <optional>

using namespace idgen;

namespace {

// The message of the Error that work throws; empty when it throws none.
std::string errorOf(const std::function<void()> &work)
{
    try {
        work();
    } catch (const Error &error) {
        return error.what();
    }
    return {};
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
        , m_old(qgetenv(name))
        , m_had(qEnvironmentVariableIsSet(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    QByteArray m_old;
    bool m_had;
};

Dataset smallDemo()
{
    DemoOptions options;
    options.items = 150;
    options.users = 100;
    return generateDemoDataset(options);
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    std::vector<std::string> m_texts;
    std::optional<Tokenizer> m_unigram; // the project's 'default' tokenizer
    TokenizerTrainingReport m_report;

private Q_SLOTS:
    void initTestCase()
    {
        m_project = m_scratch.path("tokenizers.idgenrec");
        const Dataset dataset = smallDemo();
        m_texts = tokenizerTrainingTexts(dataset, true);
        QCOMPARE(m_texts.size(), dataset.itemCount());
        Database db(m_project);
        DatasetRepository(db).save("demo", dataset);
        JobEvents events;
        TokenizerOptions options;
        options.threads = 1;
        m_report = trainDatasetTokenizer(db, "demo", "default", options, events);
        m_unigram.emplace(TokenizerRepository(db).load("demo", "default"));
    }

    void trainingReportsWhatItDid()
    {
        QCOMPARE(m_report.info.name, std::string("default"));
        QCOMPARE(m_report.info.kind, std::string("unigram"));
        QCOMPARE(m_report.texts, m_texts.size());
        QCOMPARE(m_report.requestedVocabSize, 8000);
        // 150 items cannot fill 8000 pieces: the request is capped and the result below the cap.
        QCOMPARE(m_report.effectiveVocabSize, cappedVocabSize(m_texts, 8000));
        QVERIFY(m_report.effectiveVocabSize < 8000);
        QVERIFY(m_report.info.vocabSize <= m_report.effectiveVocabSize);
        QVERIFY(m_report.info.vocabSize > 100);
        QCOMPARE(m_report.info.vocabSize, m_unigram->vocabSize());
        QVERIFY(m_report.seconds > 0.0);
        // Subword tokenization of product text: more tokens than words would be odd with this
        // vocabulary, fewer than a token per 2 characters is the least expected.
        QVERIFY(m_report.meanTokensPerText > 5.0);
        std::size_t chars = 0;
        for (const auto &text : m_texts)
            chars += text.size();
        QVERIFY(m_report.meanTokensPerText < 0.5 * static_cast<double>(chars) / static_cast<double>(m_texts.size()));
        QCOMPARE(m_report.info.options["training"]["texts"].get<std::size_t>(), m_texts.size());
        QCOMPARE(m_report.info.options["type"].get<std::string>(), std::string("unigram"));
        QCOMPARE(m_report.info.options["lowercase"].get<bool>(), true);
    }

    void specialIdsFollowT5()
    {
        const Tokenizer &tokenizer = *m_unigram;
        QVERIFY(tokenizer.specialIds() == Tokenizer::kT5Ids);
        QCOMPARE(tokenizer.specialIds().bos, -1);
        QCOMPARE(tokenizer.idToPiece(0), std::string("<pad>"));
        QCOMPARE(tokenizer.idToPiece(1), std::string("</s>"));
        QCOMPARE(tokenizer.idToPiece(2), std::string("<unk>"));
        QCOMPARE(tokenizer.pieceToId("</s>"), 1);
        QCOMPARE(tokenizer.pieceToId("no-such-piece-anywhere"), 2);

        const auto withEos = tokenizer.encode("hydrating face serum");
        const auto withoutEos = tokenizer.encode("hydrating face serum", false);
        QCOMPARE(withEos.size(), withoutEos.size() + 1);
        QCOMPARE(withEos.back(), 1);
        for (const int id : withoutEos)
            QVERIFY(id > 2);
        // Control ids produce no text: a padded, eos-terminated sequence decodes to the text.
        auto padded = withEos;
        padded.push_back(0);
        padded.push_back(0);
        QCOMPARE(tokenizer.decode(padded), std::string("hydrating face serum"));
        // A character never seen in training is unknown.
        const auto unknown = tokenizer.encode("\xe2\x98\x83", false); // U+2603 SNOWMAN
        QVERIFY(std::find(unknown.begin(), unknown.end(), 2) != unknown.end());
    }

    void itemTextsRoundTrip()
    {
        // With the default coverage of 0.9995 the rarest characters (here an apostrophe in a few
        // texts) become unk; every other text must come back exactly.
        const Tokenizer &tokenizer = *m_unigram;
        std::size_t withUnknown = 0;
        for (const auto &text : m_texts) {
            const auto ids = tokenizer.encode(text);
            if (std::find(ids.begin(), ids.end(), 2) != ids.end()) {
                ++withUnknown;
                QVERIFY(contains(tokenizer.decode(ids), "\xe2\x81\x87")); // U+2047, SentencePiece's unk mark
                continue;
            }
            QCOMPARE(QString::fromStdString(tokenizer.decode(ids)), QString::fromStdString(text));
            const auto pieces = tokenizer.pieces(text);
            QCOMPARE(pieces.size() + 1, ids.size());
            // Pieces are the ids' pieces, word starts marked with U+2581.
            QCOMPARE(pieces.front().substr(0, 3), std::string("\xe2\x96\x81"));
            for (std::size_t i = 0; i < pieces.size(); ++i)
                QCOMPARE(tokenizer.pieceToId(pieces[i]), ids[i]);
        }
        QVERIFY2(withUnknown * 5 < m_texts.size(), std::to_string(withUnknown).c_str());
        // Normalization: case folded (nmt_nfkc_cf), runs of white space collapsed.
        QCOMPARE(tokenizer.decode(tokenizer.encode("  Hydrating   FACE serum ")), std::string("hydrating face serum"));
        QVERIFY(tokenizer.encode("Face Serum") == tokenizer.encode("face serum"));
    }

    void storedTokenizerReloadsIdentically()
    {
        const std::string text = m_texts.front();
        {
            Database db(m_project, Database::Mode::OpenExisting);
            const TokenizerRepository repository(db);
            const auto list = repository.list("demo");
            QCOMPARE(list.size(), std::size_t(1));
            QCOMPARE(list.front().name, std::string("default"));
            QCOMPARE(list.front().modelBytes, std::int64_t(m_unigram->modelBytes().size()));
            const Tokenizer reloaded = repository.load("demo", "default");
            QVERIFY(reloaded.modelBytes() == m_unigram->modelBytes());
            QVERIFY(reloaded.encode(text) == m_unigram->encode(text));
            QCOMPARE(reloaded.vocabSize(), m_unigram->vocabSize());
        }
        // A moved tokenizer keeps working; the moved-from one is only destroyed.
        Tokenizer first = Tokenizer::fromBytes(m_unigram->modelBytes());
        Tokenizer second = std::move(first);
        QVERIFY(second.encode(text) == m_unigram->encode(text));
    }

    void bpeAndUnigramBothWork()
    {
        TokenizerOptions options;
        options.type = "bpe";
        options.vocabSize = 400;
        options.characterCoverage = 1.0; // every character a piece: all texts round-trip exactly
        options.threads = 1;
        JobEvents events;
        TokenizerTrainingReport report;
        {
            Database db(m_project, Database::Mode::OpenExisting);
            report = trainDatasetTokenizer(db, "demo", "bpe", options, events);
        }
        QCOMPARE(report.info.kind, std::string("bpe"));
        QCOMPARE(report.effectiveVocabSize, 400);
        QCOMPARE(report.info.vocabSize, 400); // BPE reaches a reachable size exactly
        Database db(m_project, Database::Mode::OpenExisting);
        const Tokenizer bpe = TokenizerRepository(db).load("demo", "bpe");
        QVERIFY(bpe.specialIds() == Tokenizer::kT5Ids);
        QVERIFY(bpe.modelBytes() != m_unigram->modelBytes());
        for (const auto &text : m_texts)
            QCOMPARE(QString::fromStdString(bpe.decode(bpe.encode(text))), QString::fromStdString(text));
        // A smaller vocabulary splits the same texts into more pieces.
        QVERIFY(report.meanTokensPerText > m_report.meanTokensPerText);
        QCOMPARE(TokenizerRepository(db).list("demo").size(), std::size_t(2));

        // Training again under a taken name replaces, never duplicates.
        options.vocabSize = 300;
        const auto again = trainDatasetTokenizer(db, "demo", "bpe", options, events);
        QCOMPARE(again.info.vocabSize, 300);
        QCOMPARE(TokenizerRepository(db).list("demo").size(), std::size_t(2));
        QCOMPARE(TokenizerRepository(db).load("demo", "bpe").vocabSize(), 300);
    }

    void vocabularyCapCountsWordsAndCharacters()
    {
        const std::vector<std::string> texts = {"ab cd", "ab  \xc3\xa9x"};
        // words: ab, cd, \u00e9x; characters: a, b, c, d, \u00e9, x; plus 3 special pieces
        QCOMPARE(cappedVocabSize(texts, 8000), 3 + 6 + 3);
        QCOMPARE(cappedVocabSize(texts, 10), 10);
    }

    void keepCaseOptionKeepsCase()
    {
        TokenizerOptions options;
        options.lowercase = false;
        options.threads = 1;
        const TrainedTokenizer trained = trainTokenizer({"Red Shoe", "red shoe", "Blue Hat", "blue hat"}, options);
        QCOMPARE(trained.tokenizer.decode(trained.tokenizer.encode("Red Shoe")), std::string("Red Shoe"));
        QVERIFY(trained.tokenizer.encode("Red") != trained.tokenizer.encode("red"));
    }

    void pretrainedSpieceModelLoadsAndImports()
    {
        const auto file = m_scratch.write("spiece.model", m_unigram->modelBytes());
        const Tokenizer loaded = Tokenizer::fromFile(file);
        QVERIFY(loaded.encode(m_texts.back()) == m_unigram->encode(m_texts.back()));

        Database db(m_project, Database::Mode::OpenExisting);
        const TokenizerInfo info = importTokenizer(db, "demo", "t5", file);
        QCOMPARE(info.kind, std::string("imported"));
        QCOMPARE(info.vocabSize, m_unigram->vocabSize());
        QVERIFY(contains(info.options["file"].get<std::string>(), "spiece.model"));
        QVERIFY(TokenizerRepository(db).load("demo", "t5").encode("face serum") == m_unigram->encode("face serum"));
        TokenizerRepository(db).remove("demo", "t5");
        QVERIFY(!TokenizerRepository(db).find("demo", "t5"));
    }

    void corruptOrMissingModelsAreClearErrors()
    {
        std::string corrupt = m_unigram->modelBytes().substr(0, 100);
        QVERIFY(contains(errorOf([&] { Tokenizer::fromBytes(corrupt); }), "not a valid SentencePiece model"));
        QVERIFY(contains(errorOf([&] { Tokenizer::fromBytes("certainly not a model"); }), "not a valid SentencePiece model"));
        QVERIFY(contains(errorOf([&] { Tokenizer::fromBytes(""); }), "empty"));
        const auto bad = m_scratch.write("broken.model", corrupt);
        QVERIFY(contains(errorOf([&] { Tokenizer::fromFile(bad); }), bad.string()));
        const auto missing = m_scratch.path("absent/spiece.model");
        QVERIFY(contains(errorOf([&] { Tokenizer::fromFile(missing); }), missing.string()));
        {
            Database db(m_project, Database::Mode::OpenExisting);
            QVERIFY(contains(errorOf([&] { importTokenizer(db, "demo", "broken", bad); }), bad.string()));
            QVERIFY(!TokenizerRepository(db).find("demo", "broken"));
        }
        // Ids outside the vocabulary are refused, not read out of bounds in the module.
        const int size = m_unigram->vocabSize();
        QVERIFY(contains(errorOf([&] { m_unigram->decode(std::vector<int>{5, size}); }), std::to_string(size)));
        QVERIFY(contains(errorOf([&] { m_unigram->decode(std::vector<int>{-1}); }), "outside the vocabulary"));
        QVERIFY(contains(errorOf([&] { m_unigram->idToPiece(size); }), "outside the vocabulary"));
    }

    void moduleErrorsCrossTheBoundaryAsMessages()
    {
        // An error inside the module comes back as a string, not as an exception or a crash.
        const SpmModule &module = SpmModule::instance();
        const auto corpus = m_scratch.write("corpus.txt", "one line\nanother line\n");
        idgen_spm_train_options options{};
        options.model_type = "wordpiece";
        options.vocab_size = 50;
        options.character_coverage = 1.0;
        char *model = nullptr;
        std::size_t size = 0;
        QVERIFY(contains(errorOf([&] { module.throwIfError(module.train(corpus.c_str(), &options, &model, &size)); }),
                         "unknown model type 'wordpiece'"));
        QVERIFY(model == nullptr);
        options.model_type = "unigram";
        QVERIFY(!errorOf([&] {
                     module.throwIfError(module.train(m_scratch.path("no-corpus.txt").c_str(), &options, &model, &size));
                 }).empty());
        QVERIFY(contains(errorOf([] {
                             TokenizerOptions bad;
                             bad.type = "wordpiece";
                             trainTokenizer({"a b"}, bad);
                         }),
                         "wordpiece"));
    }

    void missingModuleNamesThePathsTried()
    {
        {
            const ScopedEnv env(SpmModule::kEnvironmentVariable, "/nonexistent/idgenrec_spm.so");
            const std::string message = errorOf([&] { Tokenizer::fromBytes(m_unigram->modelBytes()); });
            QVERIFY2(contains(message, "/nonexistent/idgenrec_spm.so"), message.c_str());
            QVERIFY(contains(message, "IDGEN_SPM_MODULE"));
        }
        {
            // A file that is no shared object: dlopen's reason is passed on with the path.
            const auto fake = m_scratch.write("fake/idgenrec_spm.so", "not an ELF file");
            const ScopedEnv env(SpmModule::kEnvironmentVariable, QByteArray::fromStdString(fake.parent_path().string()));
            const std::string message = errorOf([&] { Tokenizer::fromBytes(m_unigram->modelBytes()); });
            QVERIFY2(contains(message, fake.string()), message.c_str());
        }
        // Without the variable the module next to the executable is found again.
        QVERIFY(SpmModule::searchPaths().front().parent_path() == std::filesystem::path(QCoreApplication::applicationDirPath().toStdString()));
        QVERIFY(Tokenizer::fromBytes(m_unigram->modelBytes()).vocabSize() > 0);
    }

    void unknownDatasetsAndTokenizersAreNamed()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        JobEvents events;
        const std::string noDataset = errorOf([&] { trainDatasetTokenizer(db, "nope", "default", {}, events); });
        QVERIFY2(contains(noDataset, "'nope'") && contains(noDataset, "demo"), noDataset.c_str());
        QVERIFY(contains(errorOf([&] { TokenizerRepository(db).load("nope", "default"); }), "'nope'"));
        const std::string noTokenizer = errorOf([&] { TokenizerRepository(db).load("demo", "other"); });
        QVERIFY2(contains(noTokenizer, "'other'") && contains(noTokenizer, "default"), noTokenizer.c_str());
        QVERIFY(contains(errorOf([&] { importTokenizer(db, "nope", "x", m_scratch.path("x")); }), "'nope'"));
    }

    void datasetWithoutTextIsRefused()
    {
        Dataset bare;
        bare.userRawIds = {"u1"};
        bare.itemRawIds = {"i1", "i2"};
        bare.itemFields = {nullptr, nullptr};
        bare.sequenceOffsets = {0, 2};
        bare.sequenceItems = {0, 1};
        Database db(m_project, Database::Mode::OpenExisting);
        DatasetRepository(db).save("bare", bare);
        JobEvents events;
        QVERIFY(contains(errorOf([&] { trainDatasetTokenizer(db, "bare", "default", {}, events); }), "no item text"));
    }

    void removingADatasetRemovesItsTokenizers()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        DatasetRepository(db).save("demo2", smallDemo());
        TokenizerRepository(db).save("demo2", "default", "imported", *m_unigram, nlohmann::json::object());
        QCOMPARE(TokenizerRepository(db).list("demo2").size(), std::size_t(1));
        DatasetRepository(db).remove("demo2");
        QCOMPARE(TokenizerRepository(db).list("demo2").size(), std::size_t(0));
        QVERIFY(TokenizerRepository(db).find("demo", "default").has_value());
    }

    void commandLineTrainsAndEncodes()
    {
        const auto project = m_scratch.path("cli.idgenrec");
        {
            Database db(project);
            DatasetRepository(db).save("demo", smallDemo());
        }
        const QString projectArg = QString::fromStdString(project.string());
        const test::CliResult train = test::runCli({"tokenizer", "train", "--project", projectArg, "--dataset", "demo", "--vocab",
                                          "500", "--type", "bpe", "--json"});
        QVERIFY2(train.code == 0, train.all().c_str());
        // The last line is the summary; progress events come before it.
        const auto summary = test::lastJsonLine(train.out);
        QCOMPARE(summary["vocab_size"].get<int>(), 500);
        QCOMPARE(summary["kind"].get<std::string>(), std::string("bpe"));
        QVERIFY(summary["mean_tokens_per_item_text"].get<double>() > 1.0);

        const test::CliResult encode = test::runCli({"tokenizer", "encode", "--project", projectArg, "--dataset", "demo", "--json", "hydrating", "face serum"});
        QVERIFY2(encode.code == 0, encode.all().c_str());
        const auto encoded = nlohmann::json::parse(encode.out);
        Database db(project, Database::Mode::OpenExisting);
        const Tokenizer stored = TokenizerRepository(db).load("demo", "default");
        QVERIFY(encoded["ids"].get<std::vector<int>>() == stored.encode("hydrating face serum"));
        QCOMPARE(encoded["pieces"].size(), encoded["ids"].size());

        const test::CliResult missing = test::runCli({"tokenizer", "encode", "--project", projectArg, "--dataset", "demo", "--name", "nope", "x"});
        QCOMPARE(missing.code, 1);
        QVERIFY2(contains(missing.all(), "'nope'"), missing.all().c_str());
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
