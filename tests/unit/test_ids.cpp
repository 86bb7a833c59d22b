// Item and user IDs: normalisation, the unique-ID assigner (the paper's Algorithm 1, batched,
// bounded), the title, sequential and file schemes, snapshots in the project file, the leak-free
// user history, and the `ids` commands.
#include "data/DemoDataset.h"
#include "ids/FileScheme.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdExport.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/IdText.h"
#include "ids/NumberIds.h"
#include "ids/TitleScheme.h"
#include "ids/UniqueIdAssigner.h"
#include "ids/UsedIds.h"
#include "ids/UserIdSource.h"
#include "jobs/ImportJob.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "store/Schema.h"
#include "support/TestSupport.h"
#include "text/TokenizerJob.h"


#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

using namespace idgen;
using test::errorOf;
using test::inputErrorOf;

namespace {

JobEvents quiet;

// Records progress fractions and log lines.
class RecordingEvents final : public JobEvents {
public:
    void progress(double fraction, std::string_view stage) override
    {
        fractions.push_back(fraction);
        (void)stage;
    }
    void log(std::string_view message) override { logs.emplace_back(message); }
    std::vector<double> fractions;
    std::vector<std::string> logs;
};

// An ID candidate source driven by a script: candidates(entity, settings) as texts, encoded with
// the tokenizer; every request is recorded.
class ScriptedSource final : public IdCandidateSource {
public:
    using Script = std::function<std::vector<std::string>(std::size_t, const CandidateSettings &)>;
    ScriptedSource(const Tokenizer &tokenizer, Script script, bool escalates = true)
        : m_tokenizer(tokenizer)
        , m_script(std::move(script))
        , m_escalates(escalates)
    {
    }
    std::vector<std::vector<std::vector<int>>> generate(std::span<const std::size_t> entities,
                                                         const CandidateSettings &settings) override
    {
        calls.push_back({std::vector<std::size_t>(entities.begin(), entities.end()), settings});
        std::vector<std::vector<std::vector<int>>> out;
        for (const std::size_t entity : entities) {
            out.emplace_back();
            for (const auto &text : m_script(entity, settings))
                out.back().push_back(m_tokenizer.encode(text, false));
        }
        return out;
    }
    bool escalates() const override { return m_escalates; }

    struct Call {
        std::vector<std::size_t> entities;
        CandidateSettings settings;
    };
    std::vector<Call> calls;

private:
    const Tokenizer &m_tokenizer;
    Script m_script;
    bool m_escalates;
};

// A source that answers with the wrong number of lists.
class BrokenSource final : public IdCandidateSource {
public:
    std::vector<std::vector<std::vector<int>>> generate(std::span<const std::size_t>, const CandidateSettings &) override
    {
        return {};
    }
};

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

bool contains(const QString &text, const std::string &part)
{
    return text.contains(QString::fromStdString(part));
}

// Five items with titles covering every digit (so a tokenizer trained on them can write numbers),
// one without a title, three users.
Dataset handDataset()
{
    Dataset d;
    d.userRawIds = {"u1", "u2", "u3"};
    d.itemRawIds = {"a", "b", "c", "d", "e", "f"};
    d.itemFields = {ItemFields{{"title", "Rose Oil 10 ml Deluxe Edition Bottle"}, {"brand", "Flora"}},
                    ItemFields{{"title", "Lily Soap, 2-pack"}, {"brand", "Flora"}},
                    ItemFields{{"title", "Mint Gel 345"}, {"brand", "Cool"}},
                    ItemFields{{"title", "Rose Oil 10 ml Deluxe Edition Jar"}, {"brand", "Flora"}},
                    ItemFields{{"brand", "Sea Salt 678"}, {"categories", {"Bath", "Salt 9"}}},
                    ItemFields()};
    // u1: c a d e ; u2: b a ; u3: f e b c d
    d.sequenceOffsets = {0, 4, 6, 11};
    d.sequenceItems = {2, 0, 3, 4, 1, 0, 5, 4, 1, 2, 3};
    d.report.format = "test";
    return d;
}

const std::string kHandItemFile = "a rose oil\n"
                                  "b Lily Soap!\n"
                                  "c mint  gel\n"
                                  "\n"
                                  "d rose oil jar\n"
                                  "e sea salt\n"
                                  "f plain item\n";

std::vector<std::string> fileLines(const std::string &text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty())
            lines.push_back(line);
    }
    return lines;
}

// "raw_id words" with the words normalised, as the file scheme stores them.
std::string normalizedLine(const std::string &line)
{
    const auto space = line.find(' ');
    return line.substr(0, space) + " " + normalizeIdText(space == std::string::npos ? "" : line.substr(space + 1));
}

std::int64_t countRows(const Database &db, const std::string &sql)
{
    auto statement = db.prepare(sql);
    return statement.step() ? statement.integer(0) : -1;
}

} // namespace

class TestIds : public QObject {
    Q_OBJECT

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    std::optional<Tokenizer> m_tokenizer;     // trained on the hand dataset and the demo, every digit a piece
    std::optional<Tokenizer> m_noDigits;      // a vocabulary without digits
    Dataset m_hand;

    const Tokenizer &tok() const { return *m_tokenizer; }
    std::vector<int> enc(const std::string &text) const { return tok().encode(text, false); }

private Q_SLOTS:
    void initTestCase()
    {
        m_project = m_scratch.path("ids.idgenrec");
        m_hand = handDataset();
        Database db(m_project);
        DatasetRepository(db).save("hand", m_hand);
        DemoOptions demo;
        demo.items = 150;
        demo.users = 100;
        DatasetRepository(db).save("demo", generateDemoDataset(demo));
        TokenizerOptions options;
        options.threads = 1;
        options.characterCoverage = 1.0;
        trainDatasetTokenizer(db, "demo", "default", options, quiet);
        trainDatasetTokenizer(db, "hand", "default", options, quiet);
        m_tokenizer.emplace(TokenizerRepository(db).load("hand", "default"));
        TokenizerOptions small;
        small.threads = 1;
        small.characterCoverage = 1.0;
        m_noDigits.emplace(trainTokenizer({"rose oil", "lily soap", "mint gel", "sea salt dup", "plain item"}, small).tokenizer);
    }

    // ---- normalisation ----

    void normalisesLikeThePublishedCode_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "rose oil" << "rose oil";
        QTest::newRow("case and punctuation") << "Rose  Oil!!" << "rose oil";
        QTest::newRow("apostrophe separates") << "  L'Oreal Paris " << "l oreal paris";
        QTest::newRow("hyphen and comma") << "Lily Soap, 2-pack" << "lily soap 2 pack";
        QTest::newRow("underscore is a word character") << "a_b c" << "a_b c";
        QTest::newRow("tabs and newlines") << "mint\tgel\nbig" << "mint gel big";
        QTest::newRow("digits kept") << "5 oz." << "5 oz";
        QTest::newRow("empty") << "" << "";
        QTest::newRow("only punctuation") << "!!! ... ;" << "";
        QTest::newRow("non-ASCII kept, ASCII lowered") << QString::fromUtf8("CR\xc3\x88ME Br\xc3\xbbl\xc3\xa9" "e")
                                                       << QString::fromUtf8("cr\xc3\x88me br\xc3\xbbl\xc3\xa9" "e");
        QTest::newRow("non-ASCII next to punctuation") << QString::fromUtf8("\xc3\xa9t\xc3\xa9/caf\xc3\xa9")
                                                       << QString::fromUtf8("\xc3\xa9t\xc3\xa9 caf\xc3\xa9");
        // Python 3's \w: letters and numbers of any script; punctuation, symbols, marks and spaces
        // of any script separate words (expected values are Python's re.findall(r"\w+", ...)).
        QTest::newRow("curly apostrophe") << QString::fromUtf8("men\u2019s shampoo") << "men s shampoo";
        QTest::newRow("registered sign") << QString::fromUtf8("L'Or\u00e9al\u00ae Paris")
                                         << QString::fromUtf8("l or\u00e9al paris");
        QTest::newRow("trade mark sign") << QString::fromUtf8("Nivea\u2122Cream") << "nivea cream";
        QTest::newRow("en and em dashes") << QString::fromUtf8("3\u20134 oz \u2014 set") << "3 4 oz set";
        QTest::newRow("no-break space") << QString::fromUtf8("rose\u00a0oil") << "rose oil";
        QTest::newRow("CJK words, katakana middle dot") << QString::fromUtf8("\u65e5\u672c\u306e\u30b7\u30e3\u30f3\u30d7\u30fc\u30fb\u77f3\u9e78")
                                                        << QString::fromUtf8("\u65e5\u672c\u306e\u30b7\u30e3\u30f3\u30d7\u30fc \u77f3\u9e78");
        QTest::newRow("sub- and superscript digits, fractions") << QString::fromUtf8("H\u2082O x\u00b2 \u00bd")
                                                                << QString::fromUtf8("h\u2082o x\u00b2 \u00bd");
        QTest::newRow("combining mark") << QString::fromUtf8("cafe\u0301 noir") << "cafe noir";
        QTest::newRow("emoji and inverted question mark") << QString::fromUtf8("\U0001F600smile \u00bfQu\u00e9?")
                                                          << QString::fromUtf8("smile qu\u00e9");
    }

    void normalisesLikeThePublishedCode()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(normalizeIdText(input.toStdString())), expected);
    }

    void malformedUtf8SeparatesWords()
    {
        // A stray continuation byte, a truncated sequence and an overlong encoding are no words.
        QCOMPARE(normalizeIdText("rose\x80oil"), std::string("rose oil"));
        QCOMPARE(normalizeIdText("rose oil\xe2\x80"), std::string("rose oil"));
        QCOMPARE(normalizeIdText("a\xc1\x81" "b"), std::string("a b"));
    }

    void normalisedIdsAreTheTokenizersEncoding()
    {
        const NormalizedId fromText = normalizeIdFromText(tok(), "Rose, OIL!");
        QCOMPARE(fromText.text, std::string("rose oil"));
        QVERIFY(fromText.tokens == enc("rose oil"));
        QVERIFY(!fromText.tokens.empty());
        // A candidate's tokens come back as the canonical encoding of its normalised text.
        std::vector<int> candidate = tok().encode("Rose - Oil", true); // with eos, as a generator writes
        const NormalizedId fromTokens = normalizeIdFromTokens(tok(), candidate);
        QCOMPARE(fromTokens.text, std::string("rose oil"));
        QVERIFY(fromTokens.tokens == fromText.tokens);
        QVERIFY(normalizeIdFromText(tok(), " ?! ").empty());
        QVERIFY(normalizeIdFromText(tok(), " ?! ").tokens.empty());
        QVERIFY(normalizeIdFromTokens(tok(), std::vector<int>{1, 0, 0}).empty()); // eos and padding only
        // unk leaves no trace (SentencePiece would decode it as U+2047, a "word" here).
        std::vector<int> withUnknown = enc("rose");
        withUnknown.push_back(tok().specialIds().unk);
        for (const int id : enc("oil"))
            withUnknown.push_back(id);
        QCOMPARE(normalizeIdFromTokens(tok(), withUnknown).text, std::string("rose oil"));
    }

    // ---- the assigner ----

    void firstUnusedCandidateWins()
    {
        ScriptedSource source(tok(), [](std::size_t entity, const CandidateSettings &) {
            const std::vector<std::vector<std::string>> script = {
                {"rose oil", "lily soap"}, {"rose oil", "lily soap"}, {"Rose Oil!", "LILY soap", "mint gel"}};
            return script[entity];
        });
        const IdTable table = UniqueIdAssigner(tok()).assign(source, 3, "item", "item index", quiet);
        QCOMPARE(table.texts, (std::vector<std::string>{"rose oil", "lily soap", "mint gel"}));
        QVERIFY(table.tokens[2] == enc("mint gel"));
        QCOMPARE(source.calls.size(), std::size_t(1)); // one batch, nobody escalated
        QCOMPARE(source.calls[0].entities, (std::vector<std::size_t>{0, 1, 2}));
        QCOMPARE(table.stats.collisionsResolved, std::size_t(2));
        QCOMPARE(table.stats.escalations, std::size_t(0));
        QCOMPARE(table.stats.fallbacks, std::size_t(0));
        QCOMPARE(table.stats.entities, std::size_t(3));
        QCOMPARE(table.stats.unique, std::size_t(3));
        QCOMPARE(table.stats.order, std::string("item index"));
        std::size_t histogramTotal = 0;
        double tokens = 0;
        for (const auto &[length, count] : table.stats.lengthHistogram) {
            histogramTotal += count;
            tokens += static_cast<double>(length * count);
        }
        QCOMPARE(histogramTotal, std::size_t(3));
        QCOMPARE(table.stats.meanTokens, tokens / 3.0);
    }

    void earlierEntitiesGetTheBetterIds()
    {
        // Same candidates, processing order decides: entity 0 always gets the shared favourite.
        ScriptedSource source(tok(), [](std::size_t entity, const CandidateSettings &) {
            return entity == 0 ? std::vector<std::string>{"mint gel", "rose oil"}
                               : std::vector<std::string>{"rose oil", "mint gel"};
        });
        const IdTable table = UniqueIdAssigner(tok()).assign(source, 2, "item", "item index", quiet);
        QCOMPARE(table.texts, (std::vector<std::string>{"mint gel", "rose oil"}));
        ScriptedSource swapped(tok(), [](std::size_t entity, const CandidateSettings &) {
            return entity == 1 ? std::vector<std::string>{"mint gel", "rose oil"}
                               : std::vector<std::string>{"rose oil", "mint gel"};
        });
        const IdTable other = UniqueIdAssigner(tok()).assign(swapped, 2, "item", "item index", quiet);
        QCOMPARE(other.texts, (std::vector<std::string>{"rose oil", "mint gel"}));
    }

    void escalatesPenaltyThenLengthInThePublishedSequence()
    {
        // Entity 1 collides with entity 0 until the penalty is 3 at the third length (21..31).
        ScriptedSource source(tok(), [](std::size_t entity, const CandidateSettings &s) {
            if (entity == 1 && s.minLength == 21 && s.diversityPenalty == 3.0)
                return std::vector<std::string>{"rose oil", "lily soap"};
            return std::vector<std::string>{"rose oil"};
        });
        const IdTable table = UniqueIdAssigner(tok()).assign(source, 2, "item", "item index", quiet);
        QCOMPARE(table.texts, (std::vector<std::string>{"rose oil", "lily soap"}));
        std::vector<std::tuple<double, int, int>> expected;
        for (const int minLength : {1, 11})
            for (int penalty = 1; penalty <= 9; ++penalty)
                expected.emplace_back(penalty, minLength, minLength + 10);
        for (int penalty = 1; penalty <= 3; ++penalty)
            expected.emplace_back(penalty, 21, 31);
        QCOMPARE(source.calls.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const auto &s = source.calls[i].settings;
            QCOMPARE(std::make_tuple(s.diversityPenalty, s.minLength, s.maxLength), expected[i]);
            QCOMPARE(source.calls[i].entities, (i == 0 ? std::vector<std::size_t>{0, 1} : std::vector<std::size_t>{1}));
        }
        QCOMPARE(table.stats.escalations, expected.size() - 1);
        QCOMPARE(table.stats.lengthEscalations, std::size_t(2));
        QCOMPARE(table.stats.escalatedEntities, std::size_t(1));
        QCOMPARE(table.stats.collisionsResolved, std::size_t(1));
        QCOMPARE(table.stats.fallbacks, std::size_t(0));
    }

    void tenthOfAStepStillReachesTheMaximum()
    {
        // The published code steps 0.1 towards 1.0 with ==, which never holds in floating point;
        // ours treats "reaches" with a tolerance, so the length does rise after 9 tries.
        UniqueIdOptions options;
        options.initialPenalty = 0.1;
        options.penaltyStep = 0.1;
        options.maxPenalty = 1.0;
        ScriptedSource source(tok(), [](std::size_t, const CandidateSettings &) { return std::vector<std::string>{"rose oil"}; });
        const IdTable table = UniqueIdAssigner(tok(), options).assign(source, 2, "item", "item index", quiet);
        QCOMPARE(source.calls.size(), std::size_t(27));
        QCOMPARE(source.calls[9].settings.minLength, 11);
        QVERIFY(std::abs(source.calls[9].settings.diversityPenalty - 0.1) < 1e-12);
        QCOMPARE(source.calls[8].settings.minLength, 1);
        QCOMPARE(table.texts[1], std::string("rose oil 2"));
    }

    void boundedEscalationEndsInTheSuffixFallback()
    {
        ScriptedSource source(tok(), [](std::size_t, const CandidateSettings &) { return std::vector<std::string>{"rose oil"}; });
        const IdTable table = UniqueIdAssigner(tok()).assign(source, 3, "item", "item index", quiet);
        // Entities 1 and 2 are re-asked together: 9 penalties x 3 lengths, then the fallback.
        QCOMPARE(source.calls.size(), std::size_t(27));
        QCOMPARE(source.calls.back().settings.minLength, 21);
        QCOMPARE(source.calls.back().settings.diversityPenalty, 9.0);
        QCOMPARE(table.texts, (std::vector<std::string>{"rose oil", "rose oil 2", "rose oil 3"}));
        QVERIFY(table.tokens[1] == enc("rose oil 2"));
        QCOMPARE(table.stats.fallbacks, std::size_t(2));
        QCOMPARE(table.stats.collisionsResolved, std::size_t(2));
        QCOMPARE(table.stats.escalations, std::size_t(26));
        QCOMPARE(table.stats.escalatedEntities, std::size_t(2));
        QCOMPARE(table.stats.unique, std::size_t(3));

        UniqueIdOptions noLength;
        noLength.maxLengthEscalations = 0;
        ScriptedSource shorter(tok(), [](std::size_t, const CandidateSettings &) { return std::vector<std::string>{"rose oil"}; });
        UniqueIdAssigner(tok(), noLength).assign(shorter, 2, "item", "item index", quiet);
        QCOMPARE(shorter.calls.size(), std::size_t(9));

        // A source with nothing to say at all: every entity ends as "item", "item 2", ...
        ScriptedSource silent(tok(), [](std::size_t, const CandidateSettings &) { return std::vector<std::string>{}; });
        const IdTable base = UniqueIdAssigner(tok(), noLength).assign(silent, 3, "user", "user index", quiet);
        QCOMPARE(base.texts, (std::vector<std::string>{"user", "user 2", "user 3"}));
        QCOMPARE(base.stats.fallbacks, std::size_t(3));
        QCOMPARE(base.stats.order, std::string("user index"));
    }

    void nonEscalatingSourcesGoStraightToTheFallback()
    {
        ScriptedSource source(
            tok(), [](std::size_t e, const CandidateSettings &) { return std::vector<std::string>{e == 2 ? "mint gel" : "rose oil"}; },
            false);
        const IdTable table = UniqueIdAssigner(tok()).assign(source, 4, "item", "item index", quiet);
        QCOMPARE(source.calls.size(), std::size_t(1));
        QCOMPARE(table.texts, (std::vector<std::string>{"rose oil", "rose oil 2", "mint gel", "rose oil 3"}));
        QCOMPARE(table.stats.escalations, std::size_t(0));
        QCOMPARE(table.stats.fallbacks, std::size_t(2));
    }

    void emptyCandidatesAreSkippedAndCounted()
    {
        ScriptedSource source(tok(), [](std::size_t entity, const CandidateSettings &) {
            return entity == 0 ? std::vector<std::string>{"", "!!!", "sea salt"} : std::vector<std::string>{"", "mint gel"};
        });
        const IdTable table = UniqueIdAssigner(tok()).assign(source, 2, "item", "item index", quiet);
        QCOMPARE(table.texts, (std::vector<std::string>{"sea salt", "mint gel"}));
        QCOMPARE(table.stats.emptyCandidates, std::size_t(3));
        QCOMPARE(table.stats.collisionsResolved, std::size_t(2));
        // A fallback builds on the best non-empty candidate, not on an empty one.
        ScriptedSource onlyTaken(tok(), [](std::size_t entity, const CandidateSettings &) {
            return entity == 0 ? std::vector<std::string>{"sea salt"} : std::vector<std::string>{"?", "sea salt"};
        }, false);
        const IdTable fallback = UniqueIdAssigner(tok()).assign(onlyTaken, 2, "item", "item index", quiet);
        QCOMPARE(fallback.texts[1], std::string("sea salt 2"));
    }

    void batchingDiffersOnlyInWhenACollidedEntityIsReasked()
    {
        // Entity 1 collides with 0 at first; escalated it would prefer "lily soap", which entity
        // 2 of the same batch takes first. With batch size 1 (the published loop) it does not.
        auto script = [](std::size_t entity, const CandidateSettings &s) {
            if (entity == 0)
                return std::vector<std::string>{"rose oil"};
            if (entity == 1)
                return s.diversityPenalty > 1.0 ? std::vector<std::string>{"lily soap", "sea salt"}
                                                : std::vector<std::string>{"rose oil"};
            return std::vector<std::string>{"lily soap", "mint gel"};
        };
        ScriptedSource batched(tok(), script);
        const IdTable together = UniqueIdAssigner(tok()).assign(batched, 3, "item", "item index", quiet);
        QCOMPARE(together.texts, (std::vector<std::string>{"rose oil", "sea salt", "lily soap"}));
        UniqueIdOptions one;
        one.batchSize = 1;
        ScriptedSource single(tok(), script);
        const IdTable alone = UniqueIdAssigner(tok(), one).assign(single, 3, "item", "item index", quiet);
        QCOMPARE(alone.texts, (std::vector<std::string>{"rose oil", "lily soap", "mint gel"}));

        // Batches of 2 over 5 entities: requests of 2, 2, 1 in order, progress after each.
        UniqueIdOptions two;
        two.batchSize = 2;
        ScriptedSource counted(tok(), [](std::size_t e, const CandidateSettings &) {
            return std::vector<std::string>{"item " + std::string(1, static_cast<char>('a' + e))};
        });
        RecordingEvents events;
        UniqueIdAssigner(tok(), two).assign(counted, 5, "item", "item index", events);
        QCOMPARE(counted.calls.size(), std::size_t(3));
        QCOMPARE(counted.calls[1].entities, (std::vector<std::size_t>{2, 3}));
        QCOMPARE(counted.calls[2].entities, (std::vector<std::size_t>{4}));
        QCOMPARE(events.fractions, (std::vector<double>{0.4, 0.8, 1.0}));
    }

    void stopsWhenAskedAndRefusesBrokenSources()
    {
        std::atomic<bool> flag{true};
        ScriptedSource source(tok(), [](std::size_t, const CandidateSettings &) { return std::vector<std::string>{"rose oil"}; });
        bool cancelled = false;
        try {
            UniqueIdAssigner(tok()).assign(source, 3, "item", "item index", quiet, StopToken(&flag));
        } catch (const Cancelled &) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(source.calls.size(), std::size_t(0));
        BrokenSource broken;
        QVERIFY(contains(errorOf([&] { UniqueIdAssigner(tok()).assign(broken, 2, "item", "item index", quiet); }),
                         "0 candidate lists for 2 items"));
        UniqueIdOptions bad;
        bad.batchSize = 0;
        QVERIFY(contains(errorOf([&] { UniqueIdAssigner(tok(), bad); }), "batch size"));
        bad = {};
        bad.maxPenalty = 0.5;
        QVERIFY(contains(errorOf([&] { UniqueIdAssigner(tok(), bad); }), "max penalty"));
        bad = {};
        bad.penaltyStep = 0.0;
        QVERIFY(contains(errorOf([&] { UniqueIdAssigner(tok(), bad); }), "penalty step"));
        UniqueIdOptions seven;
        seven.batchSize = 7;
        const UniqueIdOptions roundTrip = UniqueIdOptions::fromJson(seven.toJson());
        QCOMPARE(roundTrip.batchSize, std::size_t(7));
        QCOMPARE(roundTrip.maxLengthEscalations, 2);
    }

    void suffixFallbackFailsCleanlyWithoutDigits()
    {
        UsedIds used(*m_noDigits);
        QVERIFY(used.take(normalizeIdFromText(*m_noDigits, "sea salt")));
        // "sea salt 2": the digit is unknown to this vocabulary, but the sequence is still new.
        const NormalizedId second = used.takeWithSuffix("sea salt", "item");
        QCOMPARE(second.text, std::string("sea salt 2"));
        // "sea salt 3" encodes like "sea salt 2": no suffix can help, and it says so.
        const QString error = errorOf([&] { used.takeWithSuffix("sea salt", "item"); });
        QVERIFY2(contains(error, "digits"), qPrintable(error));
        QVERIFY(contains(errorOf([&] { DigitTokens digits(*m_noDigits); }), "no piece for the digit(s) 0, 1"));
    }

    // ---- schemes without a model ----

    void sequentialIdsAreOneTokenPerDigit()
    {
        const DigitTokens digits(tok());
        std::vector<int> expected;
        for (const char c : std::string("105"))
            expected.push_back(tok().pieceToId(std::string(1, c)));
        QVERIFY(digits.tokens(105) == expected);
        QVERIFY(expected[0] != tok().specialIds().unk);

        // u1: c a d e ; u2: b a ; u3: f e b c d -> c=1 a=2 d=3 e=4 b=5 f=6
        QCOMPARE(itemNumbersByFirstAppearance(m_hand), (std::vector<std::uint64_t>{2, 5, 1, 3, 4, 6}));
        const IdTable items = sequentialItemIds(m_hand, tok());
        QCOMPARE(items.texts, (std::vector<std::string>{"2", "5", "1", "3", "4", "6"}));
        QVERIFY(items.tokens[1] == digits.tokens(5));
        QCOMPARE(items.stats.meanTokens, 1.0);
        QCOMPARE(items.stats.order, std::string("first appearance in user sequences"));
        const IdTable users = numberedUserIds(m_hand, tok());
        QCOMPARE(users.texts, (std::vector<std::string>{"1", "2", "3"}));

        // An item no user has comes after all that appear.
        Dataset extra = m_hand;
        extra.itemRawIds.push_back("g");
        extra.itemFields.push_back(ItemFields());
        QCOMPARE(itemNumbersByFirstAppearance(extra).back(), std::uint64_t(7));
        // Many items: two-digit numbers, one token per digit.
        DemoOptions demo;
        demo.items = 120;
        demo.users = 60;
        const IdTable many = sequentialItemIds(generateDemoDataset(demo), tok());
        QVERIFY(many.stats.lengthHistogram.count(2) == 1 && many.stats.lengthHistogram.at(2) > 0);
        QCOMPARE(many.stats.unique, many.stats.entities);
    }

    void titleIdsAreMadeUnique()
    {
        QCOMPARE(titleIdText(m_hand.itemFields[1], 5), std::string("lily soap 2 pack"));
        QCOMPARE(titleIdText(m_hand.itemFields[0], 3), std::string("rose oil 10"));
        // No title: the rendered item text; no text at all: nothing.
        QCOMPARE(titleIdText(m_hand.itemFields[4], 4), std::string("brand sea salt 678"));
        QCOMPARE(titleIdText(m_hand.itemFields[5], 5), std::string());

        const IdTable table = titleItemIds(m_hand, tok(), 5, {}, quiet);
        QCOMPARE(table.texts, (std::vector<std::string>{"rose oil 10 ml deluxe", "lily soap 2 pack", "mint gel 345",
                                                        "rose oil 10 ml deluxe 2", "brand sea salt 678 categories",
                                                        "item"}));
        QCOMPARE(table.stats.fallbacks, std::size_t(2));
        QCOMPARE(table.stats.emptyCandidates, std::size_t(1));
        QCOMPARE(table.stats.unique, m_hand.itemCount());
        // Seven words tell the two rose oils apart.
        const IdTable longer = titleItemIds(m_hand, tok(), 7, {}, quiet);
        QCOMPARE(longer.texts[3], std::string("rose oil 10 ml deluxe edition jar"));
        QCOMPARE(longer.stats.fallbacks, std::size_t(1));
    }

    void fileIdsRoundTrip()
    {
        const auto file = m_scratch.write("hand_items.txt", kHandItemFile);
        const IdTable table = readIdFile(file, m_hand.itemRawIds, IdKind::Item, tok(), false, quiet);
        QCOMPARE(table.texts, (std::vector<std::string>{"rose oil", "lily soap", "mint gel", "rose oil jar", "sea salt",
                                                        "plain item"}));
        for (std::size_t i = 0; i < table.size(); ++i)
            QVERIFY(table.tokens[i] == enc(table.texts[i]));
        QCOMPARE(table.stats.fallbacks, std::size_t(0));
        // Any order of lines, tabs as separators, CRLF line ends.
        const auto shuffled = m_scratch.write("shuffled.txt", "f\tplain item\r\ne sea salt\r\nd rose oil jar\r\n"
                                                              "c mint gel\r\nb lily soap\r\na rose oil\r\n");
        QCOMPARE(readIdFile(shuffled, m_hand.itemRawIds, IdKind::Item, tok(), false, quiet).texts, table.texts);
        const auto users = m_scratch.write("hand_users.txt", "u3 third user\nu1 first user\nu2 second\n");
        QCOMPARE(readIdFile(users, m_hand.userRawIds, IdKind::User, tok(), false, quiet).texts,
                 (std::vector<std::string>{"first user", "second", "third user"}));
    }

    void fileIdErrorsNameFileAndLine_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<qulonglong>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("problem");
        const std::string tail = "c mint gel\nd rose oil jar\ne sea salt\nf plain item\n";
        QTest::newRow("unknown raw id") << QString::fromStdString("a rose oil\nzz lily soap\n" + tail) << 2ULL << "raw_id"
                                        << "'zz' is not one of the dataset's items";
        QTest::newRow("raw id twice") << QString::fromStdString("a rose oil\nb lily soap\na other\n" + tail) << 3ULL
                                      << "raw_id" << "already has an ID on line 1";
        QTest::newRow("ID twice") << QString::fromStdString("a rose oil\nb Rose  Oil.\n" + tail) << 2ULL << "id"
                                  << "item 'a' on line 1";
        QTest::newRow("empty ID") << QString::fromStdString("a rose oil\nb \n" + tail) << 2ULL << "id"
                                  << "'b' has an empty ID";
        QTest::newRow("punctuation only") << QString::fromStdString("a rose oil\nb ?!\n" + tail) << 2ULL << "id"
                                          << "'b' has an empty ID";
        QTest::newRow("missing items") << QString::fromStdString("a rose oil\nb lily soap\nc mint gel\n") << 0ULL << ""
                                       << "3 of the dataset's 6 items have no ID in the file (d, e, f)";
    }

    void fileIdErrorsNameFileAndLine()
    {
        QFETCH(QString, content);
        QFETCH(qulonglong, line);
        QFETCH(QString, field);
        QFETCH(QString, problem);
        const auto file = m_scratch.write("bad.txt", content.toStdString());
        const InputError error =
            inputErrorOf([&] { readIdFile(file, m_hand.itemRawIds, IdKind::Item, tok(), false, quiet); });
        QVERIFY2(contains(std::string(error.what()), problem.toStdString()), error.what());
        QCOMPARE(error.file(), file.string());
        QCOMPARE(qulonglong(error.line()), line);
        QCOMPARE(QString::fromStdString(error.field()), field);
        if (line > 0)
            QVERIFY(contains(std::string(error.what()), file.string() + ":" + std::to_string(line)));
    }

    void repairGivesFallbacksWithoutStealingFileIds()
    {
        // b repeats a's ID and c has none; d's literal "rose oil 2" must stay d's.
        const auto file = m_scratch.write("repair.txt", "a rose oil\nb rose oil\nc\nd rose oil 2\ne sea salt\nf plain item\n");
        QVERIFY(contains(errorOf([&] { readIdFile(file, m_hand.itemRawIds, IdKind::Item, tok(), false, quiet); }),
                         "--repair"));
        RecordingEvents events;
        const IdTable table = readIdFile(file, m_hand.itemRawIds, IdKind::Item, tok(), true, events);
        QCOMPARE(table.texts,
                 (std::vector<std::string>{"rose oil", "rose oil 3", "item", "rose oil 2", "sea salt", "plain item"}));
        QCOMPARE(table.stats.fallbacks, std::size_t(2));
        QCOMPARE(table.stats.emptyCandidates, std::size_t(1));
        QCOMPARE(events.logs.size(), std::size_t(2));
        QVERIFY(contains(events.logs[0], file.string() + ":2") && contains(events.logs[0], "'rose oil 3'"));
        QVERIFY(contains(events.logs[1], file.string() + ":3"));
    }

    // ---- the leak-free user history ----

    void userHistoryLeavesOutValidationAndTestItems()
    {
        const std::vector<std::string> itemIds = {"rose oil", "lily soap", "mint gel", "rose jar", "sea salt", "plain"};
        const auto leakFree = userHistoryTexts(m_hand, itemIds);
        // u1: c a d e -> c a ; u2: b a -> nothing ; u3: f e b c d -> f e b
        QCOMPARE(leakFree, (std::vector<std::string>{"mint gel rose oil", "", "plain sea salt lily soap"}));
        const auto leaky = userHistoryTexts(m_hand, itemIds, UserIdHistory::Leaky);
        QCOMPARE(leaky, (std::vector<std::string>{"mint gel rose oil rose jar sea salt", "lily soap rose oil",
                                                  "plain sea salt lily soap mint gel rose jar"}));
        QVERIFY(contains(errorOf([&] { userHistoryTexts(m_hand, std::vector<std::string>{"x"}); }), "1 item IDs given for 6"));
        QCOMPARE(parseUserIdHistory("leaky"), UserIdHistory::Leaky);
        QCOMPARE(std::string(userIdHistoryName(UserIdHistory::LeakFree)), std::string("leak-free"));
        QVERIFY(contains(errorOf([] { parseUserIdHistory("all"); }), "reproduction only"));
    }

    // ---- snapshots in the project file ----

    void schemaVersionFourAddsIdTables()
    {
        QVERIFY(schema::currentVersion() >= 4);
        const auto path = m_scratch.path("v3.idgenrec");
        {
            Database v3(path, 3);
            DatasetRepository(v3).save("hand", m_hand);
            QVERIFY(contains(errorOf([&] { v3.exec("SELECT * FROM id_snapshots"); }), "no such table"));
        }
        {
            Database v4(path, 4);
            QCOMPARE(v4.schemaVersion(), 4);
            QCOMPARE(countRows(v4, "SELECT count(*) FROM id_entries"), 0);
            QCOMPARE(countRows(v4, "SELECT count(*) FROM sqlite_master WHERE name = 'id_entries_text'"), 1);
            QCOMPARE(DatasetRepository(v4).get("hand").items, 6);
        }
        Database current(path);
        QCOMPARE(current.schemaVersion(), schema::currentVersion());
        QCOMPARE(countRows(current, "SELECT count(*) FROM id_snapshots"), 0);
    }

    void snapshotsSaveLoadListFindAndRemove()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        IdAssignmentOptions options;
        options.dataset = "hand";
        options.scheme = "file";
        options.fromFile = m_scratch.write("snap_items.txt", kHandItemFile);
        IdSnapshot snapshot = buildIdSnapshot(m_hand, tok(), options, quiet);
        QCOMPARE(snapshot.name, std::string("file round 0"));
        QCOMPARE(snapshot.users.texts, (std::vector<std::string>{"1", "2", "3"}));
        IdSnapshotRepository repository(db);
        const std::int64_t id = repository.save(snapshot);
        QVERIFY(id > 0);

        const IdSnapshot loaded = repository.load(id);
        QCOMPARE(loaded.id, id);
        QCOMPARE(loaded.dataset, std::string("hand"));
        QCOMPARE(loaded.scheme, std::string("file"));
        QCOMPARE(loaded.tokenizer, std::string("default"));
        QVERIFY(loaded.tokenizerId.has_value());
        QCOMPARE(loaded.items.texts, snapshot.items.texts);
        QVERIFY(loaded.items.tokens == snapshot.items.tokens);
        QCOMPARE(loaded.users.texts, snapshot.users.texts);
        QVERIFY(loaded.users.tokens == snapshot.users.tokens);
        QCOMPARE(loaded.items.stats.meanTokens, snapshot.items.stats.meanTokens);
        QCOMPARE(loaded.items.stats.lengthHistogram, snapshot.items.stats.lengthHistogram);
        QVERIFY(contains(loaded.options["from"].get<std::string>(), "snap_items.txt"));
        QVERIFY(!loaded.createdAt.empty());

        const auto found = repository.findByText(id, IdKind::Item, "Mint Gel!");
        QVERIFY(found.has_value());
        QCOMPARE(found->index, 2);
        QCOMPARE(found->rawId, std::string("c"));
        QVERIFY(found->tokens == enc("mint gel"));
        QVERIFY(!repository.findByText(id, IdKind::Item, "no such id").has_value());
        QCOMPARE(repository.findByText(id, IdKind::User, "3")->rawId, std::string("u3"));
        const auto page = repository.entries(id, IdKind::Item, 2, 2);
        QCOMPARE(page.size(), std::size_t(2));
        QCOMPARE(page[1].rawId, std::string("d"));
        QCOMPARE(page[1].text, std::string("rose oil jar"));

        snapshot.round = 1;
        const std::int64_t second = repository.save(snapshot);
        const auto listed = repository.list("hand");
        QCOMPARE(listed.size(), std::size_t(2));
        QCOMPARE(listed[1].id, second);
        QCOMPARE(listed[1].round, 1);
        QCOMPARE(listed[0].items, 6);
        QCOMPARE(listed[0].users, 3);
        QCOMPARE(listed[0].stats["items"]["entities"].get<int>(), 6);
        QVERIFY(repository.list("demo").empty());

        repository.remove(second);
        QCOMPARE(repository.list("hand").size(), std::size_t(1));
        const QString missing = errorOf([&] { repository.load(second); });
        QVERIFY2(contains(missing, "no ID snapshot " + std::to_string(second)) &&
                     contains(missing, "it has: " + std::to_string(id) + " (hand, file, round 0)"),
                 qPrintable(missing));
        QVERIFY(contains(errorOf([&] { repository.remove(second); }), "no ID snapshot"));
        repository.remove(id);
        QCOMPARE(countRows(db, "SELECT count(*) FROM id_entries"), 0);
    }

    void invalidSnapshotsWriteNothing()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        IdSnapshotRepository repository(db);
        IdSnapshot snapshot;
        snapshot.dataset = "hand";
        snapshot.scheme = "sequential";
        snapshot.items = sequentialItemIds(m_hand, tok());
        const auto before = repository.list().size();

        IdSnapshot shortTable = snapshot;
        shortTable.items.texts.pop_back();
        shortTable.items.tokens.pop_back();
        QVERIFY(contains(errorOf([&] { repository.save(shortTable); }), "5 given for 6 items"));
        IdSnapshot repeated = snapshot;
        repeated.items.texts[3] = repeated.items.texts[0];
        QVERIFY(contains(errorOf([&] { repository.save(repeated); }), "share the ID '2'"));
        IdSnapshot partialUsers = snapshot;
        partialUsers.users.push("1", {5});
        QVERIFY(contains(errorOf([&] { repository.save(partialUsers); }), "1 given for 3 users"));
        IdSnapshot unknown = snapshot;
        unknown.dataset = "nope";
        QVERIFY(contains(errorOf([&] { repository.save(unknown); }), "'nope'"));
        QCOMPARE(repository.list().size(), before);
        // Users are optional: a snapshot of item IDs alone is fine.
        const std::int64_t id = repository.save(snapshot);
        QCOMPARE(repository.load(id).users.size(), std::size_t(0));
        repository.remove(id);
    }

    void snapshotsGoWithTheirDatasetAndOutliveTheirTokenizer()
    {
        const auto path = m_scratch.path("cascade.idgenrec");
        Database db(path);
        DatasetRepository(db).save("hand", m_hand);
        TokenizerRepository(db).save("hand", "default", "imported", tok(), nlohmann::json::object());
        IdAssignmentOptions options;
        options.dataset = "hand";
        options.scheme = "sequential";
        IdSnapshotRepository repository(db);
        const std::int64_t id = repository.save(buildIdSnapshot(m_hand, tok(), options, quiet));
        QVERIFY(repository.get(id).tokenizerId.has_value());
        // A retrained tokenizer replaces the row: the snapshot keeps its name, loses the link.
        TokenizerRepository(db).save("hand", "default", "imported", tok(), nlohmann::json::object());
        QVERIFY(!repository.get(id).tokenizerId.has_value());
        QCOMPARE(repository.get(id).tokenizer, std::string("default"));
        QCOMPARE(countRows(db, "SELECT count(*) FROM id_entries"), 9);
        DatasetRepository(db).remove("hand");
        QVERIFY(repository.list().empty());
        QCOMPARE(countRows(db, "SELECT count(*) FROM id_entries"), 0);
    }

    // ---- the job ----

    void assignmentJobSavesAndJournals()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        IdAssignmentOptions options;
        options.dataset = "demo";
        options.scheme = "title";
        options.round = 2;
        RecordingEvents events;
        const IdAssignmentReport report = assignIds(db, options, events);
        QVERIFY(!report.tokenizerTrained);
        QCOMPARE(report.items.entities, std::size_t(150));
        QCOMPARE(report.items.unique, std::size_t(150));
        QCOMPARE(report.users.entities, std::size_t(100));
        QCOMPARE(report.snapshot.round, 2);
        QCOMPARE(report.snapshot.name, std::string("title round 2"));
        QCOMPARE(report.snapshot.options["title_words"].get<int>(), 5);
        QVERIFY(report.seconds > 0.0);
        QCOMPARE(events.fractions.back(), 1.0);
        QVERIFY(std::is_sorted(events.fractions.begin(), events.fractions.end()));
        const IdSnapshot loaded = IdSnapshotRepository(db).load(report.snapshot.id);
        QCOMPARE(loaded.items.size(), std::size_t(150));
        const Tokenizer demoTokenizer = TokenizerRepository(db).load("demo", "default");
        for (std::size_t i = 0; i < loaded.items.size(); ++i)
            QVERIFY(loaded.items.tokens[i] == demoTokenizer.encode(loaded.items.texts[i], false));
        QCOMPARE(loaded.items.texts[0], titleIdText(generateDemoDataset([] {
                                                        DemoOptions demo;
                                                        demo.items = 150;
                                                        demo.users = 100;
                                                        return demo;
                                                    }()).itemFields[0], 5));
        auto journal = db.prepare("SELECT status, options FROM jobs WHERE kind = 'ids' ORDER BY id DESC LIMIT 1");
        QVERIFY(journal.step());
        QCOMPARE(journal.text(0), std::string("done"));
        QCOMPARE(nlohmann::json::parse(journal.text(1))["scheme"].get<std::string>(), std::string("title"));

        // A stop before the work: cancelled, journalled, nothing saved.
        const auto before = IdSnapshotRepository(db).list().size();
        std::atomic<bool> flag{true};
        bool cancelled = false;
        try {
            assignIds(db, options, events, StopToken(&flag));
        } catch (const Cancelled &) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(IdSnapshotRepository(db).list().size(), before);
        auto last = db.prepare("SELECT status FROM jobs WHERE kind = 'ids' ORDER BY id DESC LIMIT 1");
        QVERIFY(last.step());
        QCOMPARE(last.text(0), std::string("cancelled"));
    }

    void assignmentOptionsAreChecked()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        IdAssignmentOptions options;
        options.dataset = "hand";
        options.scheme = "file";
        QVERIFY(contains(errorOf([&] { assignIds(db, options, quiet); }), "--from FILE"));
        options.scheme = "title";
        options.fromFile = "x.txt";
        QVERIFY(contains(errorOf([&] { assignIds(db, options, quiet); }), "belong to the file scheme"));
        options.fromFile.clear();
        options.scheme = "numbers";
        QVERIFY(contains(errorOf([&] { assignIds(db, options, quiet); }), "'numbers' is not known"));
        options.scheme = "title";
        options.tokenizer = "other";
        const QString noTokenizer = errorOf([&] { assignIds(db, options, quiet); });
        QVERIFY2(contains(noTokenizer, "'other'") && contains(noTokenizer, "default"), qPrintable(noTokenizer));
        options.tokenizer = "default";
        options.dataset = "nope";
        QVERIFY(contains(errorOf([&] { assignIds(db, options, quiet); }), "no dataset named 'nope'"));
    }

    // ---- the command line ----

    void commandLineAssignsExportsListsAndShows()
    {
        // A fresh project without a tokenizer: `ids assign` trains the default one and says so.
        const auto project = m_scratch.path("cli.idgenrec");
        {
            Database db(project);
            DatasetRepository(db).save("hand", m_hand);
        }
        const QString projectArg = QString::fromStdString(project.string());
        const auto itemFile = m_scratch.write("cli_items.txt", kHandItemFile);
        const auto userFile = m_scratch.write("cli_users.txt", "u1 first user\nu2 second one\nu3 third\n");
        const test::CliResult assign =
            test::runCli({"ids", "assign", "--project", projectArg, "--dataset", "hand", "--scheme", "file", "--from",
                    QString::fromStdString(itemFile.string()), "--users-from", QString::fromStdString(userFile.string()),
                    "--json"});
        QVERIFY2(assign.code == 0, (assign.out + assign.err).c_str());
        QVERIFY2(contains(assign.out, "training one with default options"), assign.out.c_str());
        const auto summary = test::lastJsonLine(assign.out);
        QCOMPARE(summary["items"].get<int>(), 6);
        QCOMPARE(summary["unique"].get<int>(), 6);
        QCOMPARE(summary["users"].get<int>(), 3);
        QCOMPARE(summary["fallbacks"].get<int>(), 0);
        QCOMPARE(summary["collisions_resolved"].get<int>(), 0);
        QCOMPARE(summary["tokenizer_trained"].get<bool>(), true);
        QVERIFY(summary["mean_tokens"].get<double>() >= 1.0);
        QVERIFY(summary["seconds"].get<double>() > 0.0);
        const std::int64_t snapshot = summary["snapshot"].get<std::int64_t>();
        const QString snapshotArg = QString::number(snapshot);
        {
            // User IDs from a (published) file were made from whole sequences: the snapshot says
            // they leak the test item, so that evaluations can warn.
            Database db(project, Database::Mode::OpenExisting);
            QCOMPARE(IdSnapshotRepository(db).get(snapshot).options.value("user_history", std::string()),
                     std::string(kPublishedFileUserHistory));
        }

        const auto exported = m_scratch.path("exported.txt");
        const test::CliResult exportItems = test::runCli({"ids", "export", "--project", projectArg, "--snapshot", snapshotArg,
                                              "--out", QString::fromStdString(exported.string())});
        QVERIFY2(exportItems.code == 0, exportItems.err.c_str());
        std::vector<std::string> expected;
        for (const auto &line : fileLines(kHandItemFile))
            expected.push_back(normalizedLine(line));
        QCOMPARE(fileLines(test::readFile(exported)), expected);
        const auto exportedUsers = m_scratch.path("exported_users.txt");
        QCOMPARE(test::runCli({"ids", "export", "--project", projectArg, "--snapshot", snapshotArg, "--users", "--out",
                         QString::fromStdString(exportedUsers.string())})
                     .code,
                 0);
        QCOMPARE(test::readFile(exportedUsers), test::readFile(userFile));

        // The exported file imports again to the same IDs.
        const test::CliResult again = test::runCli({"ids", "assign", "--project", projectArg, "--dataset", "hand", "--scheme", "file",
                                        "--from", QString::fromStdString(exported.string()), "--round", "1", "--json"});
        QVERIFY2(again.code == 0, again.err.c_str());
        QCOMPARE(test::lastJsonLine(again.out)["tokenizer_trained"].get<bool>(), false);

        const test::CliResult list = test::runCli({"ids", "list", "--project", projectArg, "--json"});
        QVERIFY2(list.code == 0, list.err.c_str());
        const auto listed = nlohmann::json::parse(list.out);
        QCOMPARE(listed.size(), std::size_t(2));
        QCOMPARE(listed[0]["snapshot"].get<std::int64_t>(), snapshot);
        QCOMPARE(listed[1]["round"].get<int>(), 1);
        QCOMPARE(listed[1]["users"].get<int>(), 3); // numbered users without --users-from
        {
            Database db(project, Database::Mode::OpenExisting);
            QVERIFY(!IdSnapshotRepository(db).get(listed[1]["snapshot"].get<std::int64_t>()).options.contains("user_history"));
        }

        const test::CliResult show = test::runCli({"ids", "show", "--project", projectArg, "--snapshot", snapshotArg, "--limit", "2"});
        QVERIFY2(show.code == 0, show.err.c_str());
        QVERIFY2(contains(show.out, "0\ta\trose oil\t[") && contains(show.out, "1\tb\tlily soap") &&
                     !contains(show.out, "mint gel"),
                 show.out.c_str());
        const test::CliResult find = test::runCli(
            {"ids", "show", "--project", projectArg, "--snapshot", snapshotArg, "--find", "Mint Gel", "--json"});
        QVERIFY2(find.code == 0, find.err.c_str());
        QCOMPARE(nlohmann::json::parse(find.out)["entries"][0]["raw_id"].get<std::string>(), std::string("c"));

        const test::CliResult missing = test::runCli({"ids", "show", "--project", projectArg, "--snapshot", "999"});
        QCOMPARE(missing.code, 1);
        QVERIFY2(contains(missing.err, "error: no ID snapshot 999") && contains(missing.err, "it has: "),
                 missing.err.c_str());
        const auto badFile = m_scratch.write("cli_bad.txt", "a rose oil\nzz x\n");
        const test::CliResult bad = test::runCli({"ids", "assign", "--project", projectArg, "--dataset", "hand", "--scheme", "file",
                                      "--from", QString::fromStdString(badFile.string())});
        QCOMPARE(bad.code, 1);
        QVERIFY2(contains(bad.err, badFile.string() + ":2: field 'raw_id'"), bad.err.c_str());

        const test::CliResult title = test::runCli({"ids", "assign", "--project", projectArg, "--dataset", "hand", "--scheme",
                                        "title", "--title-words", "5", "--json"});
        QVERIFY2(title.code == 0, title.err.c_str());
        QCOMPARE(test::lastJsonLine(title.out)["fallbacks"].get<int>(), 2);
    }

    // ---- real data, when ../shared/datasets is there ----

    void beautyPhaseZeroIdsImportAndExport()
    {
        IDGEN_REQUIRE_SHARED_DATASETS();
        const auto beauty = test::sharedDatasets() / "beauty";
        const auto project = m_scratch.path("beauty.idgenrec");
        {
            Database db(project);
            ImportOptions import;
            import.name = "beauty";
            import.sources.interactions = beauty / "user_sequence.txt";
            import.sources.items = beauty / "Amazon_Beauty.item";
            runImport(db, import, quiet);
        }
        const QString projectArg = QString::fromStdString(project.string());
        const QString itemFile = QString::fromStdString((beauty / "item_generative_indexing_phase_0.txt").string());
        const QString userFile = QString::fromStdString((beauty / "user_generative_index_phase_0.txt").string());
        // The published files have an empty ID (one item, one user) and IDs that differ only in
        // case ("Beauty Hair Care ..." and "beauty hair care ..."), which our case-folding
        // tokenizers cannot tell apart. Strict reading stops at the first such line...
        struct FileProblems {
            std::uint64_t firstLine = 0;
            std::size_t count = 0;
            std::set<std::string> lines; // "raw_id normalised words" of the lines kept as they are
        };
        auto problemsOf = [](const std::filesystem::path &file) {
            FileProblems problems;
            std::set<std::string> seen;
            std::uint64_t number = 0;
            for (const auto &line : fileLines(test::readFile(file))) {
                ++number;
                const std::string normalized = normalizedLine(line);
                const std::string text = normalized.substr(normalized.find(' ') + 1);
                if (text.empty() || !seen.insert(text).second) {
                    ++problems.count;
                    if (problems.firstLine == 0)
                        problems.firstLine = number;
                    continue;
                }
                problems.lines.insert(normalized);
            }
            return problems;
        };
        const FileProblems itemProblems = problemsOf(beauty / "item_generative_indexing_phase_0.txt");
        const FileProblems userProblems = problemsOf(beauty / "user_generative_index_phase_0.txt");
        QVERIFY(itemProblems.count >= 1 && userProblems.count >= 1);
        const test::CliResult strict =
            test::runCli({"ids", "assign", "--project", projectArg, "--dataset", "beauty", "--scheme", "file", "--from", itemFile});
        QCOMPARE(strict.code, 1);
        QVERIFY2(contains(strict.err, "item_generative_indexing_phase_0.txt:" + std::to_string(itemProblems.firstLine) +
                                          ": field 'id'"),
                 strict.err.c_str());
        // ... and --repair gives those lines fallback IDs, keeping every other line.
        const test::CliResult repaired = test::runCli({"ids", "assign", "--project", projectArg, "--dataset", "beauty", "--scheme",
                                           "file", "--from", itemFile, "--users-from", userFile, "--repair", "--json"});
        QVERIFY2(repaired.code == 0, repaired.err.c_str());
        const auto summary = test::lastJsonLine(repaired.out);
        QCOMPARE(summary["items"].get<int>(), 12101);
        QCOMPARE(summary["unique"].get<int>(), 12101);
        QCOMPARE(summary["fallbacks"].get<std::size_t>(), itemProblems.count);
        QCOMPARE(summary["users"].get<int>(), 22363);
        QCOMPARE(summary["users_unique"].get<int>(), 22363);
        // Users' IDs hold a few non-ASCII characters that the tokenizer may map to unk, so two
        // texts can share tokens: at least the textual problems are repaired.
        QVERIFY(summary["user_fallbacks"].get<std::size_t>() >= userProblems.count);
        qInfo("Beauty file scheme: %.2f s; %zu item and %zu user IDs repaired; %.2f tokens per item ID",
              summary["seconds"].get<double>(), itemProblems.count, summary["user_fallbacks"].get<std::size_t>(),
              summary["mean_tokens"].get<double>());
        const QString snapshotArg = QString::number(summary["snapshot"].get<std::int64_t>());
        const auto exported = m_scratch.path("beauty_items.txt");
        QCOMPARE(test::runCli({"ids", "export", "--project", projectArg, "--snapshot", snapshotArg, "--out",
                         QString::fromStdString(exported.string())})
                     .code,
                 0);
        // The project's item order is the import's, not the file's: compare as sets of lines.
        std::size_t kept = 0;
        std::size_t repairedLines = 0;
        for (const auto &line : fileLines(test::readFile(exported))) {
            if (itemProblems.lines.contains(line)) {
                ++kept;
                continue;
            }
            ++repairedLines;
            const auto space = line.find(' ');
            const std::string text = line.substr(space + 1);
            QVERIFY2(text == "item" || (text.size() > 2 && text[text.size() - 2] == ' ' && std::isdigit(static_cast<unsigned char>(text.back()))),
                     line.c_str());
        }
        QCOMPARE(kept, itemProblems.lines.size());
        QCOMPARE(repairedLines, itemProblems.count);
        QVERIFY(contains(test::readFile(exported), "B001LTVF7G item\n"));

        const test::CliResult title =
            test::runCli({"ids", "assign", "--project", projectArg, "--dataset", "beauty", "--scheme", "title", "--json"});
        QVERIFY2(title.code == 0, title.err.c_str());
        const auto titles = test::lastJsonLine(title.out);
        QCOMPARE(titles["unique"].get<int>(), 12101);
        qInfo("Beauty title scheme: %.2f s, %d fallbacks, %.2f tokens on average", titles["seconds"].get<double>(),
              titles["fallbacks"].get<int>(), titles["mean_tokens"].get<double>());
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "test_ids.moc"
