// The project file: schema, migrations, refusing foreign or newer files, transactions, the split.
#include "data/Split.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "store/RunLiveness.h"
#include "store/Schema.h"
#include "support/TestSupport.h"
#include "util/Error.h"

using namespace idgen;
using test::errorOf;
using test::inputErrorOf;

namespace {

// Three users (sequence lengths 5, 2, 3) over four items, the first item with text.
Dataset smallDataset()
{
    Dataset d;
    d.userRawIds = {"u1", "u2", "u3"};
    d.itemRawIds = {"a", "b", "c", "d"};
    d.itemFields = {ItemFields{{"title", "Alpha Cream"}, {"price", 3.5}}, ItemFields(), ItemFields(), ItemFields()};
    d.sequenceOffsets = {0, 5, 7, 10};
    d.sequenceItems = {0, 1, 2, 3, 0, 1, 2, 3, 2, 1};
    d.report.format = "test";
    return d;
}


} // namespace

class TestStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createsAtCurrentVersionInWalMode()
    {
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        QCOMPARE(db.schemaVersion(), schema::currentVersion());
        auto mode = db.prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(QString::fromStdString(mode.text(0)), QString("wal"));
        auto fk = db.prepare("PRAGMA foreign_keys");
        QVERIFY(fk.step());
        QCOMPARE(fk.integer(0), 1);
    }

    void migratesAnOldFileKeepingItsData()
    {
        test::Scratch scratch;
        const auto path = scratch.path("old.idgenrec");
        {
            Database v1(path, 1);
            QCOMPARE(v1.schemaVersion(), 1);
            DatasetRepository(v1).save("small", smallDataset());
            QVERIFY(errorOf([&] { v1.exec("SELECT * FROM jobs"); }).contains("no such table"));
        }
        Database current(path);
        QCOMPARE(current.schemaVersion(), schema::currentVersion());
        const auto info = DatasetRepository(current).get("small");
        QCOMPARE(info.interactions, 10);
        current.exec("INSERT INTO jobs (kind, options, started_at, status) VALUES ('x', '{}', 'now', 'done')");
    }

    void migratesJobsToVersion8KeepingRows()
    {
        test::Scratch scratch;
        const auto path = scratch.path("v7.idgenrec");
        {
            Database v7(path, 7);
            v7.exec("INSERT INTO jobs (kind, options, started_at, finished_at, status, message) VALUES "
                    "('import', '{}', '2020-01-01T00:00:00Z', '2020-01-01T00:01:00Z', 'done', NULL), "
                    "('demo', '{}', '2020-01-02T00:00:00Z', NULL, 'running', NULL)");
            QVERIFY(errorOf([&] { v7.exec("UPDATE jobs SET status = 'interrupted' WHERE id = 1"); })
                        .contains("CHECK constraint"));
        }
        Database current(path);
        QCOMPARE(current.schemaVersion(), 8);
        QCOMPARE(current.schemaVersion(), schema::currentVersion());
        auto rows = current.prepare("SELECT id, kind, status, message, pid IS NULL FROM jobs ORDER BY id");
        QVERIFY(rows.step());
        QCOMPARE(QString::fromStdString(rows.text(1) + "/" + rows.text(2)), QString("import/done"));
        QCOMPARE(rows.integer(4), 1);
        // A job left running by an old build has no pid: judged by its age, so marked on open.
        QVERIFY(rows.step());
        QCOMPARE(QString::fromStdString(rows.text(1) + "/" + rows.text(2)), QString("demo/interrupted"));
        QVERIFY2(QString::fromStdString(rows.text(3)).contains("last seen alive 2020-01-02T00:00:00Z"),
                 rows.text(3).c_str());
        QVERIFY(!rows.step());
    }

    void marksJobsOfDeadProcessesInterrupted()
    {
        test::Scratch scratch;
        const auto path = scratch.path("jobs.idgenrec");
        const std::string host = currentHost();
        {
            Database db(path);
            // pid 0x7fffffff never exists; our own pid is alive.
            auto insert = db.prepare("INSERT INTO jobs (kind, options, started_at, status, pid, host, heartbeat_at) "
                                     "VALUES (?, '{}', '2024-05-01T09:00:00Z', 'running', ?, ?, '2024-05-01T10:00:00Z')");
            insert.bind(1, std::string_view("dead")).bind(2, std::int64_t(0x7fffffff)).bind(3, std::string_view(host));
            insert.run();
            auto live = db.prepare("INSERT INTO jobs (kind, options, started_at, status, pid, host, heartbeat_at) "
                                   "VALUES ('live', '{}', '2024-05-01T09:00:00Z', 'running', ?, ?, '2024-05-01T10:00:00Z')");
            live.bind(1, currentPid()).bind(2, std::string_view(host));
            live.run();
        }
        Database db(path);
        auto rows = db.prepare("SELECT kind, status, COALESCE(message, '') FROM jobs ORDER BY id");
        QVERIFY(rows.step());
        QCOMPARE(QString::fromStdString(rows.text(1)), QString("interrupted"));
        const QString message = QString::fromStdString(rows.text(2));
        QVERIFY2(message.contains("2147483647") && message.contains("last seen alive 2024-05-01T10:00:00Z"),
                 qPrintable(message));
        QVERIFY(rows.step());
        QCOMPARE(QString::fromStdString(rows.text(0) + "/" + rows.text(1)), QString("live/running"));
        QCOMPARE(markInterruptedJobs(db), 0);
    }

    void refusesNewerSchemaWithoutTouchingTheFile()
    {
        test::Scratch scratch;
        const auto path = scratch.path("new.idgenrec");
        {
            Database db(path);
            DatasetRepository(db).save("small", smallDataset());
            db.exec("PRAGMA user_version = 99");
        }
        const std::string before = test::readFile(path);
        const QString error = errorOf([&] { Database db(path); });
        QVERIFY2(error.contains("newer") && error.contains("99"), qPrintable(error));
        QCOMPARE(test::readFile(path), before);
    }

    void refusesFilesThatAreNotProjects()
    {
        test::Scratch scratch;
        const auto text = scratch.write("notes.txt", "hello, this is not a database at all, just some text.\n");
        QVERIFY(errorOf([&] { Database db(text); }).contains("not an SQLite database"));
        const auto other = scratch.path("other.sqlite");
        {
            Database db(other);
            db.exec("PRAGMA application_id = 7");
        }
        QVERIFY(errorOf([&] { Database db(other); }).contains("not an IDGenRec project"));
        QVERIFY(errorOf([&] { Database db(scratch.path("missing.idgenrec"), Database::Mode::OpenExisting); })
                    .contains("not found"));
    }

    void savesAndLoadsADataset()
    {
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        DatasetRepository repository(db);
        const Dataset original = smallDataset();
        repository.save("small", original);
        const DatasetInfo info = repository.get("small");
        QCOMPARE(info.users, 3);
        QCOMPARE(info.items, 4);
        QCOMPARE(info.interactions, 10);
        QCOMPARE(info.itemsWithText, 1);
        QCOMPARE(QString::fromStdString(info.contentHash), QString::fromStdString(original.contentHash()));
        const Dataset loaded = repository.load("small");
        QCOMPARE(loaded.sequenceItems, original.sequenceItems);
        QCOMPARE(loaded.sequenceOffsets, original.sequenceOffsets);
        QCOMPARE(QString::fromStdString(loaded.itemFields[0].dump()), QString::fromStdString(original.itemFields[0].dump()));
        QCOMPARE(QString::fromStdString(loaded.contentHash()), QString::fromStdString(original.contentHash()));
        QVERIFY(errorOf([&] { repository.save("small", original); }).contains("already has a dataset"));
        QVERIFY(errorOf([&] { repository.get("nope"); }).contains("it has: small"));
    }

    void aFailedSaveLeavesNothingBehind()
    {
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        Dataset broken = smallDataset();
        broken.sequenceItems[7] = 42; // no such item: refused before anything is written
        QVERIFY(errorOf([&] { DatasetRepository(db).save("broken", broken); }).contains("refers to item 42"));
        Dataset duplicate = smallDataset();
        duplicate.userRawIds[2] = "u1"; // the unique constraint fails half-way through the writes
        QVERIFY(errorOf([&] { DatasetRepository(db).save("duplicate", duplicate); }).contains("UNIQUE"));
        QVERIFY(DatasetRepository(db).list().empty());
        auto rows = db.prepare("SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM users) + "
                               "(SELECT count(*) FROM interactions)");
        QVERIFY(rows.step());
        QCOMPARE(rows.integer(0), 0);
    }

    void pagesAndFiltersItems()
    {
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        DatasetRepository repository(db);
        const auto id = repository.save("small", smallDataset());
        QCOMPARE(repository.countItems(id, {}), 4);
        RowFilter byText;
        byText.text = "alpha";
        QCOMPARE(repository.countItems(id, byText), 1);
        RowFilter byRegex;
        byRegex.regex = "^[bc] ";
        QCOMPARE(repository.countItems(id, byRegex), 2);
        RowFilter byCount;
        byCount.minCount = 3; // a:2, b:3, c:3, d:2
        byCount.order = RowFilter::Order::CountDescending;
        const auto rows = repository.items(id, byCount, 0, 10);
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(rows[0].rawId), QString("b"));
        const auto page = repository.items(id, {}, 2, 1);
        QCOMPARE(QString::fromStdString(page.at(0).rawId), QString("c"));
        QCOMPARE(QString::fromStdString(repository.items(id, {}, 0, 1).at(0).title), QString("Alpha Cream"));
        RowFilter badRegex;
        badRegex.regex = "([unclosed";
        QVERIFY(errorOf([&] { repository.countItems(id, badRegex); }).contains("regular expression"));
        const auto sequence = repository.userSequence(id, 0, 2);
        QCOMPARE(sequence.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(sequence[0].rawId), QString("a"));
        QCOMPARE(QString::fromStdString(sequence[0].title), QString("Alpha Cream"));
        QCOMPARE(QString::fromStdString(repository.userSequence(id, 1).at(1).rawId), QString("c"));
    }

    void splitViewFollowsStoredOrder()
    {
        test::Scratch scratch;
        Database db(scratch.path("p.idgenrec"));
        const auto id = DatasetRepository(db).save("small", smallDataset());
        auto split = db.prepare("SELECT group_concat(split, ',') FROM "
                                "(SELECT split FROM interaction_splits WHERE dataset_id = ? AND user_idx = 0 "
                                "ORDER BY position)");
        split.bind(1, id);
        QVERIFY(split.step());
        QCOMPARE(QString::fromStdString(split.text(0)), QString("train,train,train,valid,test"));
    }

    void leaveOneOutMatchesAHandComputedExample()
    {
        // items 10 11 12 13 14 15, history capped at 2:
        //   train: [10]->11, [10,11]->12, [11,12]->13; valid: [12,13]->14; test: [13,14]->15
        const std::vector<std::uint32_t> items = {10, 11, 12, 13, 14, 15};
        const UserSplit split = leaveOneOut(items, 2);
        QCOMPARE(split.train.size(), std::size_t(3));
        QCOMPARE(split.train[0].history, (std::vector<std::uint32_t>{10}));
        QCOMPARE(split.train[0].target, 11u);
        QCOMPARE(split.train[2].history, (std::vector<std::uint32_t>{11, 12}));
        QCOMPARE(split.train[2].target, 13u);
        QCOMPARE(split.valid.at(0).history, (std::vector<std::uint32_t>{12, 13}));
        QCOMPARE(split.valid.at(0).target, 14u);
        QCOMPARE(split.test.at(0).history, (std::vector<std::uint32_t>{13, 14}));
        QCOMPARE(split.test.at(0).target, 15u);
        // Short users: two items give only a test sample, one item nothing.
        const std::vector<std::uint32_t> two = {1, 2};
        QCOMPARE(leaveOneOut(two).test.size(), std::size_t(1));
        QVERIFY(leaveOneOut(two).valid.empty() && leaveOneOut(two).train.empty());
        const std::vector<std::uint32_t> one = {1};
        QVERIFY(leaveOneOut(one).test.empty());
    }
};

QTEST_APPLESS_MAIN(TestStore)
#include "test_store.moc"
