// The built-in demo dataset: deterministic, complete, shaped by the options, with product text
// that reads like a shop and sequences carrying a category and transition signal to learn.
#include "data/DemoDataset.h"
#include "data/DemoVocabulary.h"
#include "support/TestSupport.h"
#include "util/Error.h"

#include <chrono>
#include <map>
#include <set>

using namespace idgen;

namespace {

const Dataset &defaultDemo()
{
    static const Dataset dataset = generateDemoDataset();
    return dataset;
}

std::string categoryOf(const Dataset &dataset, std::uint32_t item)
{
    return dataset.itemFields[item]["categories"][1].get<std::string>();
}

bool throwsError(const DemoOptions &options)
{
    try {
        generateDemoDataset(options);
    } catch (const Error &) {
        return true;
    }
    return false;
}

} // namespace

class TestDemoDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameOptionsGiveTheSameDataset()
    {
        const Dataset again = generateDemoDataset();
        QCOMPARE(again.contentHash(), defaultDemo().contentHash());
        QCOMPARE(again.itemFields.back().dump(), defaultDemo().itemFields.back().dump());
        DemoOptions other;
        other.seed += 1;
        QVERIFY(generateDemoDataset(other).contentHash() != defaultDemo().contentHash());
    }

    void hashIsPinnedAcrossPlatforms()
    {
        // The generator uses only integer arithmetic over splitmix64, so this value must be the same
        // with every compiler and standard library. Update it only when the generator or its
        // vocabulary is changed on purpose (that changes every demo dataset users have).
        DemoOptions small;
        small.items = 120;
        small.users = 80;
        QCOMPARE(QString::fromStdString(generateDemoDataset(small).contentHash()), QString("73116d0b672e68c6d1deff2557100e43"));
    }

    void countsFollowTheOptions()
    {
        const Dataset &d = defaultDemo();
        const DemoOptions defaults;
        QCOMPARE(d.itemCount(), std::size_t(defaults.items));
        QCOMPARE(d.userCount(), std::size_t(defaults.users));
        QCOMPARE(d.itemFields.size(), d.itemCount());
        QCOMPARE(d.sequenceOffsets.size(), d.userCount() + 1);
        QCOMPARE(d.sequenceOffsets.back(), std::uint64_t(d.interactionCount()));
        QCOMPARE(d.sequenceTimestamps.size(), d.interactionCount());
        QCOMPARE(d.report.format, std::string("demo"));
        QCOMPARE(d.report.interactionRows, std::uint64_t(d.interactionCount()));
        QCOMPARE(d.report.kcore, 0);
        QCOMPARE(d.report.itemsWithoutText, std::uint64_t(0));
        QCOMPARE(d.userRawIds.front(), std::string("U00001"));
        QCOMPARE(d.userRawIds.back(), std::string("U04000"));
        QCOMPARE(d.itemRawIds.front(), std::string("D00001"));
        QCOMPARE(d.itemRawIds.back(), std::string("D03000"));

        DemoOptions tiny;
        tiny.items = 40;
        tiny.users = 15;
        tiny.minSequence = 3;
        tiny.maxSequence = 6;
        const Dataset t = generateDemoDataset(tiny);
        QCOMPARE(t.itemCount(), std::size_t(40));
        QCOMPARE(t.userCount(), std::size_t(15));
        QVERIFY(t.interactionCount() >= 45 && t.interactionCount() <= 90);
    }

    void everyItemAppearsAndSequencesStayInBounds()
    {
        for (const DemoOptions &options : {DemoOptions{}, DemoOptions{7, 50, 13, 4, 5}, DemoOptions{9, 2, 1, 2, 2}}) {
            const Dataset d = generateDemoDataset(options);
            std::vector<int> seen(d.itemCount(), 0);
            for (std::size_t user = 0; user < d.userCount(); ++user) {
                const auto sequence = d.sequence(user);
                QVERIFY2(sequence.size() >= std::size_t(options.minSequence) && sequence.size() <= std::size_t(options.maxSequence),
                         qPrintable(QString("user %1 has %2 items").arg(user).arg(sequence.size())));
                for (std::size_t i = 0; i < sequence.size(); ++i) {
                    QVERIFY(sequence[i] < d.itemCount());
                    ++seen[sequence[i]];
                    if (i > 0)
                        QVERIFY2(sequence[i] != sequence[i - 1], "immediate repeat");
                }
            }
            QVERIFY(std::find(seen.begin(), seen.end(), 0) == seen.end());
            // Items are numbered in order of first appearance, as an import would number them.
            std::uint32_t next = 0;
            for (const std::uint32_t item : d.sequenceItems) {
                QVERIFY(item <= next);
                next += item == next ? 1 : 0;
            }
        }
    }

    void timestampsIncreasePerUser()
    {
        const Dataset &d = defaultDemo();
        QVERIFY(d.hasTimestamps());
        for (std::size_t user = 0; user < d.userCount(); ++user) {
            QVERIFY(d.sequenceTimestamps[d.sequenceOffsets[user]] >= 1672531200); // 2023-01-01
            for (auto i = d.sequenceOffsets[user] + 1; i < d.sequenceOffsets[user + 1]; ++i)
                QVERIFY2(d.sequenceTimestamps[i] > d.sequenceTimestamps[i - 1], qPrintable(QString("user %1").arg(user)));
        }
    }

    void everyItemHasTheFiveFields()
    {
        const Dataset &d = defaultDemo();
        QCOMPARE(d.itemsWithText(), d.itemCount());
        std::set<std::string> categories;
        for (const ItemFields &fields : d.itemFields) {
            QVERIFY(fields.is_object());
            std::vector<std::string> keys;
            for (const auto &[key, value] : fields.items())
                keys.push_back(key);
            QCOMPARE(keys, (std::vector<std::string>{"title", "brand", "categories", "description", "price"}));
            QVERIFY(!fields["title"].get<std::string>().empty());
            QVERIFY(!fields["brand"].get<std::string>().empty());
            QVERIFY(fields["description"].get<std::string>().size() > 40);
            QVERIFY(fields["price"].is_number_float() && fields["price"].get<double>() > 0);
            const auto &path = fields["categories"];
            QVERIFY(path.is_array() && path.size() == 3);
            QCOMPARE(path[0].get<std::string>(), std::string("Demo Shop"));
            categories.insert(path[1].get<std::string>());
        }
        QCOMPARE(categories.size(), demo::categories().size());
    }

    void textReadsLikeProductNames()
    {
        const Dataset &d = defaultDemo();
        std::set<std::string> titles;
        for (const ItemFields &fields : d.itemFields) {
            const auto title = fields["title"].get<std::string>();
            const auto brand = fields["brand"].get<std::string>();
            titles.insert(title);
            QVERIFY2(title.starts_with(brand + " "), title.c_str());
            QVERIFY2(fields["description"].get<std::string>().find(brand) != std::string::npos, title.c_str());
            // The title names a product type of its own shelf: "... Vitamin C Serum, 30 ml".
            const auto &category = *std::find_if(demo::categories().begin(), demo::categories().end(),
                                                 [&](const demo::Category &c) { return c.name == fields["categories"][1]; });
            const auto &shelf = *std::find_if(category.subcategories.begin(), category.subcategories.end(),
                                              [&](const demo::Subcategory &s) { return s.name == fields["categories"][2]; });
            QVERIFY2(std::any_of(shelf.nouns.begin(), shelf.nouns.end(),
                                 [&](std::string_view noun) { return title.find(noun) != std::string::npos; }),
                     title.c_str());
            QVERIFY2(title.find(", ") != std::string::npos, title.c_str());
        }
        QVERIFY2(titles.size() * 100 >= d.itemCount() * 98, "titles should be (almost) unique");
    }

    void usersKeepToTheirCategories()
    {
        // Consecutive items share a category far more often than two random interactions would.
        const Dataset &d = defaultDemo();
        std::map<std::string, double> share;
        for (const std::uint32_t item : d.sequenceItems)
            share[categoryOf(d, item)] += 1.0 / static_cast<double>(d.interactionCount());
        double randomSame = 0;
        for (const auto &[name, p] : share)
            randomSame += p * p;
        std::size_t pairs = 0;
        std::size_t same = 0;
        for (std::size_t user = 0; user < d.userCount(); ++user) {
            const auto sequence = d.sequence(user);
            for (std::size_t i = 1; i < sequence.size(); ++i) {
                ++pairs;
                same += categoryOf(d, sequence[i - 1]) == categoryOf(d, sequence[i]) ? 1 : 0;
            }
        }
        const double observedSame = static_cast<double>(same) / static_cast<double>(pairs);
        qInfo("same-category consecutive pairs: %.3f (random pairs: %.3f)", observedSame, randomSame);
        QVERIFY(observedSame > 0.6);
        QVERIFY(observedSame > 4 * randomSame);
    }

    void nextItemIsLearnable()
    {
        // A bigram table fitted on half the users predicts the other half's next item far better
        // than always guessing the most popular item: the transitions a sequential model learns.
        const Dataset &d = defaultDemo();
        std::vector<std::map<std::uint32_t, int>> successors(d.itemCount());
        std::vector<int> popularity(d.itemCount(), 0);
        for (std::size_t user = 0; user < d.userCount(); user += 2) {
            const auto sequence = d.sequence(user);
            for (std::size_t i = 0; i < sequence.size(); ++i) {
                ++popularity[sequence[i]];
                if (i > 0)
                    ++successors[sequence[i - 1]][sequence[i]];
            }
        }
        const auto mostPopular =
            static_cast<std::uint32_t>(std::max_element(popularity.begin(), popularity.end()) - popularity.begin());
        std::size_t pairs = 0, bigramHits = 0, popularHits = 0;
        for (std::size_t user = 1; user < d.userCount(); user += 2) {
            const auto sequence = d.sequence(user);
            for (std::size_t i = 1; i < sequence.size(); ++i) {
                ++pairs;
                popularHits += sequence[i] == mostPopular ? 1 : 0;
                const auto &next = successors[sequence[i - 1]];
                if (next.empty())
                    continue;
                const auto best = std::max_element(next.begin(), next.end(),
                                                   [](const auto &a, const auto &b) { return a.second < b.second; });
                bigramHits += sequence[i] == best->first ? 1 : 0;
            }
        }
        const double bigram = static_cast<double>(bigramHits) / static_cast<double>(pairs);
        const double popular = static_cast<double>(popularHits) / static_cast<double>(pairs);
        qInfo("next-item hit@1: bigram %.3f, most popular %.3f", bigram, popular);
        QVERIFY(bigram > 0.15);
        QVERIFY(bigram > 5 * popular);
    }

    void rejectsImpossibleOptions()
    {
        QVERIFY(throwsError(DemoOptions{1, 1, 10, 5, 30}));   // one item cannot avoid repeats
        QVERIFY(throwsError(DemoOptions{1, 100, 0, 5, 30}));  // no users
        QVERIFY(throwsError(DemoOptions{1, 100, 10, 6, 5}));  // min > max
        QVERIFY(throwsError(DemoOptions{1, 100, 10, 0, 5}));  // empty sequences
        QVERIFY(throwsError(DemoOptions{1, 100, 10, 5, 30})); // 10 users x 5 cannot show 100 items
        QVERIFY(!throwsError(DemoOptions{1, 100, 20, 5, 30}));
    }

    void isFast()
    {
        const auto started = std::chrono::steady_clock::now();
        const Dataset d = generateDemoDataset();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        qInfo("generated %zu interactions in %.3f s", d.interactionCount(), seconds);
        QVERIFY(seconds < 2.0); // target 0.5 s; the margin absorbs slow CI machines
    }
};

QTEST_APPLESS_MAIN(TestDemoDataset)
#include "test_demo_dataset.moc"
