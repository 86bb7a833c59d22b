// Ordering, k-core, indexing, metadata and item text: the rules every importer relies on.
#include "data/DatasetBuilder.h"
#include "data/ItemText.h"
#include "support/TestSupport.h"
#include "util/Error.h"

using namespace idgen;

namespace {

std::vector<std::string> rawSequence(const Dataset &d, std::size_t user)
{
    std::vector<std::string> out;
    for (const auto item : d.sequence(user))
        out.push_back(d.itemRawIds[item]);
    return out;
}

} // namespace

class TestDatasetBuilder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ordersByTimeKeepingFileOrderForTies()
    {
        DatasetBuilder builder;
        // Grouped by product as in review dumps; u1 has a tie at t=20 (b before c in the file).
        builder.addInteraction("u1", "a", 30);
        builder.addInteraction("u2", "a", 5);
        builder.addInteraction("u1", "b", 20);
        builder.addInteraction("u1", "c", 20);
        builder.addInteraction("u2", "c", 1);
        builder.addInteraction("u1", "d", 10);
        builder.finishInteractions(0);
        const Dataset d = builder.take();
        QCOMPARE(rawSequence(d, 0), (std::vector<std::string>{"d", "b", "c", "a"}));
        QCOMPARE(rawSequence(d, 1), (std::vector<std::string>{"c", "a"}));
        QCOMPARE(d.sequenceTimestamps, (std::vector<std::int64_t>{10, 20, 20, 30, 1, 5}));
        QCOMPARE(d.report.timestampTies, std::uint64_t(1));
        // Dense indices follow first appearance in the file.
        QCOMPARE(d.userRawIds, (std::vector<std::string>{"u1", "u2"}));
        QCOMPARE(d.itemRawIds, (std::vector<std::string>{"a", "b", "c", "d"}));
    }

    void keepsFileOrderWithoutTimestamps()
    {
        DatasetBuilder builder;
        for (const char *item : {"z", "y", "x", "y"})
            builder.addInteraction("u", item);
        builder.finishInteractions(0);
        const Dataset d = builder.take();
        QCOMPARE(rawSequence(d, 0), (std::vector<std::string>{"z", "y", "x", "y"}));
        QVERIFY(!d.hasTimestamps());
    }

    void kcoreIteratesToAFixedPoint()
    {
        // 2-core where each pass exposes new violations, so one pass is not enough.
        DatasetBuilder builder;
        builder.addInteraction("u1", "a");
        builder.addInteraction("u1", "b");
        builder.addInteraction("u1", "c");
        builder.addInteraction("u2", "a");
        builder.addInteraction("u2", "b");
        builder.addInteraction("u2", "d");
        builder.addInteraction("u4", "d");
        builder.addInteraction("u4", "e");
        builder.addInteraction("u3", "c");
        builder.finishInteractions(2);
        const Dataset d = builder.take();
        // Pass 1 drops u3-c (u3 has 1 row) and u4-e (e has 1 row): u1{a,b,c} u2{a,b,d} u4{d}.
        // Pass 2 drops u1-c (c has 1 row) and u4-d (u4 has 1 row). Pass 3 drops u2-d (d has 1 row).
        QCOMPARE(d.userRawIds, (std::vector<std::string>{"u1", "u2"}));
        QCOMPARE(rawSequence(d, 0), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(rawSequence(d, 1), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(d.report.kcoreRemovedInteractions, std::uint64_t(5));
        QCOMPARE(d.report.kcoreRemovedUsers, std::uint64_t(2));
        QCOMPARE(d.report.kcoreRemovedItems, std::uint64_t(3));
        QCOMPARE(d.report.kcoreIterations, 3);
    }

    void kcoreCountsRepeatedRows()
    {
        DatasetBuilder builder;
        builder.addInteraction("u", "a");
        builder.addInteraction("u", "a"); // a repeat counts: u and a each have two rows
        builder.finishInteractions(2);
        QCOMPARE(builder.take().interactionCount(), std::size_t(2));
    }

    void kcoreThatRemovesEverythingIsAnError()
    {
        DatasetBuilder builder;
        builder.addInteraction("u", "a");
        bool failed = false;
        try {
            builder.finishInteractions(5);
        } catch (const Error &error) {
            failed = QString(error.what()).contains("--kcore");
        }
        QVERIFY(failed);
    }

    void attachesMetadataAndCountsTheRest()
    {
        DatasetBuilder builder;
        builder.addInteraction("u", "a");
        builder.addInteraction("u", "b");
        builder.finishInteractions(0);
        QVERIFY(builder.setItemFields("a", ItemFields{{"title", "Alpha"}}, "meta.txt", 1));
        QVERIFY(!builder.setItemFields("zzz", ItemFields{{"title", "Unused"}}, "meta.txt", 2));
        bool duplicate = false;
        try {
            builder.setItemFields("a", ItemFields{{"title", "Again"}}, "meta.txt", 3);
        } catch (const InputError &error) {
            duplicate = error.line() == 3 && QString(error.what()).contains("first seen at line 1");
        }
        QVERIFY(duplicate);
        const Dataset d = builder.take();
        QCOMPARE(d.report.metadataRecords, std::uint64_t(3));
        QCOMPARE(d.report.metadataIgnored, std::uint64_t(1));
        QCOMPARE(d.report.itemsWithoutText, std::uint64_t(1));
        QCOMPARE(d.itemsWithText(), std::size_t(1));
    }

    void contentHashIsStableAndSensitive()
    {
        auto build = [](const char *lastItem) {
            DatasetBuilder builder;
            builder.addInteraction("u", "a");
            builder.addInteraction("u", lastItem);
            builder.finishInteractions(0);
            return builder.take().contentHash();
        };
        QCOMPARE(build("b"), build("b"));
        QVERIFY(build("b") != build("c"));
        QCOMPARE(build("b").size(), std::size_t(32));
    }

    void rendersItemTextInTheMethodsLayout()
    {
        ItemFields fields = ItemFields::object();
        fields["sales_rank"] = 10486.0;
        fields["price"] = 5.04;
        fields["categories"] = {"Beauty", "Makeup", "Face"};
        fields["title"] = "WAWO 15 Color  Eyeshadow\nPalette";
        fields["brand"] = "COKA";
        fields["url"] = "http://example.com/x";
        fields["year"] = "1995";
        QCOMPARE(QString::fromStdString(renderItemText(fields)),
                 QString("title: wawo 15 color eyeshadow palette; brand: coka; categories: beauty, makeup, face; "
                         "price: 5.04; year: 1995"));
        ItemTextOptions options;
        options.order = {"brand", "title"};
        options.onlyListed = true;
        options.lowercase = false;
        QCOMPARE(QString::fromStdString(renderItemText(fields, options)),
                 QString("brand: COKA; title: WAWO 15 Color Eyeshadow Palette"));
        options.maxChars = 18;
        QCOMPARE(QString::fromStdString(renderItemText(fields, options)), QString("brand: COKA;")); // cut at a word boundary
        QVERIFY(renderItemText(ItemFields()).empty());
    }
};

QTEST_APPLESS_MAIN(TestDatasetBuilder)
#include "test_dataset_builder.moc"
