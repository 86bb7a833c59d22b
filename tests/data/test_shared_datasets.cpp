// The real datasets in ../shared/datasets import with exactly the counts their README gives,
// and export back to the same sequences. Skips when the folder is absent.
#include "data/SequenceExport.h"
#include "jobs/ImportJob.h"
#include "store/Database.h"
#include "support/TestSupport.h"

#include <chrono>

using namespace idgen;

namespace {

JobEvents quiet;

ImportOptions sharedImport(const std::string &interactions, const std::string &items = {},
                           const std::string &datamaps = {})
{
    ImportOptions options;
    options.name = "shared";
    options.sources.interactions = test::sharedDatasets() / interactions;
    if (!items.empty())
        options.sources.items = test::sharedDatasets() / items;
    if (!datamaps.empty())
        options.sources.datamaps = test::sharedDatasets() / datamaps;
    return options;
}

} // namespace

class TestSharedDatasets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { IDGEN_REQUIRE_SHARED_DATASETS(); }

    void importsWithTheExpectedCounts_data()
    {
        QTest::addColumn<QString>("interactions");
        QTest::addColumn<QString>("items");
        QTest::addColumn<QString>("format");
        QTest::addColumn<qint64>("users");
        QTest::addColumn<qint64>("itemCount");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("withText");
        QTest::newRow("beauty") << "beauty/user_sequence.txt" << "beauty/Amazon_Beauty.item" << "sequence"
                                << 22363LL << 12101LL << 198502LL << 12101LL;
        QTest::newRow("sports") << "sports/user_sequence.txt" << "" << "sequence" << 35598LL << 18357LL << 296337LL << 0LL;
        QTest::newRow("toys") << "toys/user_sequence.txt" << "" << "sequence" << 19412LL << 11924LL << 167597LL << 0LL;
        QTest::newRow("instruments") << "instruments/Instruments.inter.json" << "" << "lcrec" << 24772LL << 9922LL
                                     << 206153LL << 0LL;
        QTest::newRow("scientific") << "scientific/Scientific.inter.json" << "scientific/Scientific.item.json"
                                    << "lcrec" << 8317LL << 4344LL << 58492LL << 4344LL;
        QTest::newRow("ml-100k") << "ml-100k/ml-100k.inter" << "ml-100k/ml-100k.item" << "recbole" << 943LL << 1682LL
                                 << 100000LL << 1682LL;
        QTest::newRow("lastfm") << "lastfm/lastfm.inter" << "lastfm/lastfm.item" << "recbole" << 1362LL << 2975LL
                                << 64286LL << 2975LL;
    }

    void importsWithTheExpectedCounts()
    {
        QFETCH(QString, interactions);
        QFETCH(QString, items);
        QFETCH(QString, format);
        QFETCH(qint64, users);
        QFETCH(qint64, itemCount);
        QFETCH(qint64, rows);
        QFETCH(qint64, withText);
        const Dataset d = readDataset(sharedImport(interactions.toStdString(), items.toStdString()), quiet);
        QCOMPARE(QString::fromStdString(d.report.format), format);
        QCOMPARE(qint64(d.userCount()), users);
        QCOMPARE(qint64(d.itemCount()), itemCount);
        QCOMPARE(qint64(d.interactionCount()), rows);
        QCOMPARE(qint64(d.itemsWithText()), withText);
    }

    void beautyRoundTripsThroughTheProjectFile()
    {
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        const auto started = std::chrono::steady_clock::now();
        const DatasetInfo info = runImport(db, sharedImport("beauty/user_sequence.txt", "beauty/Amazon_Beauty.item"), quiet);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        qInfo("beauty import (sequences + RecBole metadata) into a project file: %.2f s", seconds);
        QCOMPARE(info.itemsWithText, 12101);
        const auto exported = scratch.path("exported.txt");
        writeSequenceFile(DatasetRepository(db).load("shared"), exported);
        QCOMPARE(test::readFile(exported), test::readFile(test::sharedDatasets() / "beauty/user_sequence.txt"));
        // The RecBole metadata's quoted records (a tab and a newline inside a title) came through.
        RowFilter filter;
        filter.text = "TheraNeem Cream";
        const auto rows = DatasetRepository(db).items(info.id, filter, 0, 5);
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(rows[0].title), QString("TheraNeem Cream - Original Organix South 2 oz Cream \nVanilla"));
    }

    void p5FilesGiveTheSameDatasetAsTheSequenceFile()
    {
        const Dataset sequences = readDataset(sharedImport("beauty/user_sequence.txt"), quiet);
        const Dataset p5 = readDataset(sharedImport("beauty/p5_sequential_data.txt", {}, "beauty/p5_datamaps.json"), quiet);
        QCOMPARE(QString::fromStdString(p5.report.format), QString("p5"));
        QCOMPARE(QString::fromStdString(p5.contentHash()), QString::fromStdString(sequences.contentHash()));
    }

    void lexsortedCopyHasTheSameInteractionsInAnotherOrder()
    {
        const Dataset timeOrdered = readDataset(sharedImport("sports/user_sequence.txt"), quiet);
        const Dataset lexsorted = readDataset(sharedImport("sports/user_sequence.IDGenRec_lexsorted.txt"), quiet);
        QCOMPARE(lexsorted.interactionCount(), timeOrdered.interactionCount());
        QVERIFY(lexsorted.contentHash() != timeOrdered.contentHash());
    }
};

QTEST_APPLESS_MAIN(TestSharedDatasets)
#include "test_shared_datasets.moc"
