// The import job end to end on the sequence and RecBole formats: detection, ordering, metadata
// joined from another format, bad input named by file/line/field, rollback, cancellation.
#include "jobs/ImportJob.h"
#include "store/Database.h"
#include "support/TestSupport.h"
#include "util/Error.h"

#include <atomic>

using namespace idgen;
using test::errorOf;
using test::inputErrorOf;

namespace {

JobEvents quiet;

ImportOptions options(const std::filesystem::path &interactions, std::optional<std::filesystem::path> items = {})
{
    ImportOptions o;
    o.name = "test";
    o.sources.interactions = interactions;
    o.sources.items = std::move(items);
    return o;
}


const char *kRecboleItems = "item_id:token\ttitle:token\tsales_rank:float\tcategories:token_seq\tprice:float\tbrand:token\n"
                            "A1\tRose Cream\t10.0\t'Beauty', 'Skin Care', \"Women's\"\t5.5\tAcme\n"
                            "B2\t\"Gel \t with tab\"\t\t'Beauty'\t\tBrand B\n"
                            "Z9\tNever bought\t1.0\t'Beauty'\t1.0\tNobody\n";

} // namespace

class TestImporters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importsSequencesWithRecboleMetadata()
    {
        test::Scratch scratch;
        const auto sequences = scratch.write("user_sequence.txt", "u1 A1 B2 C3\nu2 B2 A1\n");
        const auto items = scratch.write("shop.item", kRecboleItems);
        const Dataset d = readDataset(options(sequences, items), quiet);
        QCOMPARE(QString::fromStdString(d.report.format), QString("sequence"));
        QCOMPARE(QString::fromStdString(d.report.itemsFormat), QString("recbole"));
        QCOMPARE(d.userCount(), std::size_t(2));
        QCOMPARE(d.itemCount(), std::size_t(3));
        QCOMPARE(d.interactionCount(), std::size_t(5));
        QCOMPARE(d.report.metadataIgnored, std::uint64_t(1));   // Z9 has no interactions
        QCOMPARE(d.report.itemsWithoutText, std::uint64_t(1));  // C3 has no metadata
        const ItemFields &a1 = d.itemFields[0];
        QCOMPARE(QString::fromStdString(a1["categories"][2].get<std::string>()), QString("Women's"));
        QCOMPARE(a1["price"].get<double>(), 5.5);
        QCOMPARE(QString::fromStdString(d.itemFields[1]["title"].get<std::string>()), QString("Gel \t with tab"));
        QVERIFY(!d.itemFields[1].contains("sales_rank")); // empty values are left out
        QCOMPARE(d.report.kcore, 0);
    }

    void ordersRecboleInteractionsByTimestampStably()
    {
        test::Scratch scratch;
        const auto inter = scratch.write("x.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
                                                    "1\t10\t5\t300\n"
                                                    "1\t11\t4\t100\n"
                                                    "2\t10\t3\t50\n"
                                                    "1\t12\t2\t100\n");
        const Dataset d = readDataset(options(inter), quiet);
        QCOMPARE(QString::fromStdString(d.report.format), QString("recbole"));
        std::vector<std::string> first;
        for (const auto item : d.sequence(0))
            first.push_back(d.itemRawIds[item]);
        QCOMPARE(first, (std::vector<std::string>{"11", "12", "10"}));
        QCOMPARE(d.report.timestampTies, std::uint64_t(1));
    }

    void explicitKCoreOverridesTheDefault()
    {
        test::Scratch scratch;
        const auto sequences = scratch.write("s.txt", "u1 a b\nu2 a b\nu3 a c\n");
        ImportOptions o = options(sequences);
        o.kcore = 2;
        const Dataset d = readDataset(o, quiet);
        QCOMPARE(d.userCount(), std::size_t(2));
        QCOMPARE(d.report.kcore, 2);
        QCOMPARE(d.report.kcoreRemovedUsers, std::uint64_t(1));
    }

    void badInputNamesFileLineAndField_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate user") << "s.txt" << QByteArray("u1 a b\nu2 a\nu1 c\n") << "s.txt:3: field 'user id': duplicate user 'u1' (first seen at line 1)";
        QTest::newRow("user without items") << "s.txt" << QByteArray("u1 a b\nu2\n") << "s.txt:2: field 'items'";
        QTest::newRow("recbole width") << "x.inter" << QByteArray("user_id:token\titem_id:token\n1\t2\n1\t2\t3\n") << "x.inter:3: expected 2 tab-separated fields, found 3";
        QTest::newRow("recbole timestamp") << "x.inter" << QByteArray("user_id:token\titem_id:token\ttimestamp:float\n1\t2\t5\n1\t3\tsoon\n") << "x.inter:3: field 'timestamp': expected a number, got 'soon'";
        QTest::newRow("empty file") << "s.txt" << QByteArray() << "s.txt: file is empty";
        QTest::newRow("wrong encoding") << "s.txt" << QByteArray("u1 a\nu2 caf\xE9\n") << "s.txt:2: not valid UTF-8";
        QTest::newRow("unknown format") << "blob.bin" << QByteArray("{\"some\": \"json\"}\n") << "supported formats: sequence, recbole";
    }

    void badInputNamesFileLineAndField()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        test::Scratch scratch;
        const auto path = scratch.write(fileName.toStdString(), content.toStdString());
        const QString error = errorOf([&] { readDataset(options(path), quiet); });
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void badMetadataIsReportedToo()
    {
        test::Scratch scratch;
        const auto sequences = scratch.write("s.txt", "u1 A1\n");
        const auto duplicated = scratch.write("d.item", "item_id:token\ttitle:token\nA1\tx\nA1\ty\n");
        QVERIFY(errorOf([&] { readDataset(options(sequences, duplicated), quiet); })
                    .contains("d.item:3: field 'item id': duplicate item id 'A1'"));
        QVERIFY(errorOf([&] { readDataset(options(sequences, scratch.path("missing.item")), quiet); })
                    .contains("missing.item: items file not found"));
        ImportOptions unknown = options(sequences);
        unknown.format = "parquet";
        QVERIFY(errorOf([&] { readDataset(unknown, quiet); }).contains("unknown format 'parquet'; supported formats:"));
    }

    void failedImportLeavesTheProjectUnchanged()
    {
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        const auto good = scratch.write("good.txt", "u1 a b\n");
        runImport(db, options(good), quiet);
        const auto bad = scratch.write("bad.txt", "u1 a b\nu1 c\n");
        ImportOptions replace = options(bad);
        replace.replace = true;
        QVERIFY(!errorOf([&] { runImport(db, replace, quiet); }).isEmpty());
        const DatasetInfo info = DatasetRepository(db).get("test");
        QCOMPARE(info.interactions, 2); // the first import is intact
        auto jobs = db.prepare("SELECT group_concat(status, ',') FROM (SELECT status FROM jobs ORDER BY id)");
        QVERIFY(jobs.step());
        QCOMPARE(QString::fromStdString(jobs.text(0)), QString("done,failed"));
        QVERIFY(errorOf([&] { runImport(db, options(good), quiet); }).contains("already has a dataset named 'test'"));
    }

    void stopTokenCancelsWithoutWriting()
    {
        test::Scratch scratch;
        std::string big;
        for (int user = 0; user < 20000; ++user)
            big += "u" + std::to_string(user) + " a b c\n";
        const auto path = scratch.write("big.txt", big);
        Database db(scratch.path("p.idgenrec"));
        std::atomic<bool> stop{true};
        QVERIFY(errorOf([&] { runImport(db, options(path), quiet, StopToken(&stop)); }).contains("cancelled"));
        QVERIFY(DatasetRepository(db).list().empty());
        auto jobs = db.prepare("SELECT status FROM jobs");
        QVERIFY(jobs.step());
        QCOMPARE(QString::fromStdString(jobs.text(0)), QString("cancelled"));
    }

    void reportsProgressUpToCompletion()
    {
        struct Recorder : JobEvents {
            std::vector<double> fractions;
            void progress(double fraction, std::string_view) override { fractions.push_back(fraction); }
        } recorder;
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        runImport(db, options(scratch.write("s.txt", "u1 a b\nu2 b a\n")), recorder);
        QVERIFY(recorder.fractions.size() >= 3);
        QVERIFY(std::is_sorted(recorder.fractions.begin(), recorder.fractions.end()));
        QCOMPARE(recorder.fractions.back(), 1.0);
    }
};

QTEST_APPLESS_MAIN(TestImporters)
#include "test_importers.moc"
