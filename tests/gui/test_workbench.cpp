// The workbench window: paged table models over a project, the job runner, the import dialog
// end to end, and the main window's dataset list. Runs under QT_QPA_PLATFORM=offscreen.
#include "models/DatasetTableModel.h"
#include "widgets/ErrorBanner.h"
#include "widgets/ImportDialog.h"
#include "models/ItemTableModel.h"
#include "views/ItemsView.h"
#include "JobRunner.h"
#include "widgets/JobStatusWidget.h"
#include "MainWindow.h"
#include "RecentProjects.h"
#include "Style.h"
#include "widgets/TableExportButton.h"
#include "ViewRegistry.h"
#include "widgets/SearchBar.h"
#include "views/SummaryView.h"
#include "models/UserTableModel.h"
#include "views/UsersView.h"

#include "jobs/ImportJob.h"
#include "store/Database.h"
#include "support/TestSupport.h"
#include "util/Error.h"

#include <QApplication>
#include <QFileInfo>
#include <QSettings>
#include <QShortcut>
#include <QSignalSpy>
#include <QStyle>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QAction>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolButton>

using namespace idgen;
using namespace idgen::ui;

namespace {

constexpr int kItems = 5000;
constexpr int kUsers = 3000;

const char *const kBrands[] = {"Acme", "Globex", "Initech", "Umbrella", "Hooli"};

// Item i: raw id "I00042", title "Product 42 by <brand>" (brand i % 5), every 10th item without
// metadata. User u: raw id "U0007", sequence of (u % 7) + 3 items starting at (u * 13) % kItems.
// So item interaction counts vary, and the expected answers can be computed here.
Dataset generatedDataset()
{
    Dataset d;
    d.report.format = "test";
    for (int i = 0; i < kItems; ++i) {
        d.itemRawIds.push_back(QString("I%1").arg(i, 5, 10, QChar('0')).toStdString());
        if (i % 10 == 9) {
            d.itemFields.emplace_back();
        } else {
            d.itemFields.push_back(ItemFields{{"title", QString("Product %1 by %2").arg(i).arg(kBrands[i % 5]).toStdString()},
                                              {"brand", kBrands[i % 5]},
                                              {"categories", {"Shop", "Things"}}});
        }
    }
    d.sequenceOffsets.push_back(0);
    for (int u = 0; u < kUsers; ++u) {
        d.userRawIds.push_back(QString("U%1").arg(u, 4, 10, QChar('0')).toStdString());
        const int length = u % 7 + 3;
        for (int k = 0; k < length; ++k)
            d.sequenceItems.push_back(static_cast<std::uint32_t>((u * 13 + k) % kItems));
        d.sequenceOffsets.push_back(d.sequenceItems.size());
    }
    return d;
}

std::vector<std::int64_t> itemCounts(const Dataset &d)
{
    std::vector<std::int64_t> counts(d.itemCount(), 0);
    for (const auto item : d.sequenceItems)
        ++counts[item];
    return counts;
}

// Rows are read on a background thread: ask for the row, then wait until its page arrived.
QVariant waitData(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    const QModelIndex index = model.index(row, column);
    QElapsedTimer clock;
    clock.start();
    while (!model.data(index, DatasetTableModel::IndexRole).isValid() && clock.elapsed() < 20000)
        QTest::qWait(2);
    return model.data(index, role);
}

QString cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return waitData(model, row, column, role).toString();
}

std::int64_t number(const QAbstractItemModel &model, int row, int column)
{
    return waitData(model, row, column).toLongLong();
}

// With IDGEN_SCREENSHOT_DIR set, tests leave grabs of what they drove there, to look at.
void saveShot(QWidget &widget, const QString &name)
{
    const QString folder = qEnvironmentVariable("IDGEN_SCREENSHOT_DIR");
    if (!folder.isEmpty())
        widget.grab().save(QDir(folder).filePath(name + ".png"));
}

} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    Dataset m_dataset;
    std::shared_ptr<const Database> m_db;
    std::int64_t m_datasetId = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("IDGenRecTest");
        m_project = m_scratch.path("table.idgenrec");
        m_dataset = generatedDataset();
        {
            Database db(m_project);
            m_datasetId = DatasetRepository(db).save("generated", m_dataset);
        }
        m_db = std::make_shared<const Database>(m_project, Database::Mode::OpenExisting);
    }

    void itemModelCountsAndReadsDeepRowsInPages()
    {
        ItemTableModel model;
        QSignalSpy counted(&model, &DatasetTableModel::rowsCounted);
        model.setDataset(m_db, m_datasetId);
        QVERIFY(model.isBusy()); // counting runs in the background
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(counted.count(), 1);
        QCOMPARE(model.rowCount(), kItems);
        QCOMPARE(model.unfilteredRows(), kItems);
        QCOMPARE(model.cachedPages(), std::size_t(1)); // the count brings only the first page
        QVERIFY(model.data(model.index(4321, 0), DatasetTableModel::IndexRole).isNull()); // not read yet
        const auto counts = itemCounts(m_dataset);
        for (const int row : {0, 255, 256, 4321, kItems - 1}) {
            QCOMPARE(cell(model, row, ItemTableModel::RawIdColumn), QString::fromStdString(m_dataset.itemRawIds[row]));
            QCOMPARE(number(model, row, ItemTableModel::CountColumn), counts[row]);
        }
        QCOMPARE(cell(model, 4321, ItemTableModel::TitleColumn), QString("Product 4321 by Globex"));
        QVERIFY(cell(model, 4321, ItemTableModel::TextColumn).contains("title: product 4321 by globex"));
        QVERIFY(cell(model, 4329, ItemTableModel::TitleColumn).isEmpty()); // no metadata
        QVERIFY(model.cachedPages() <= 4); // only the pages that were read
        QVERIFY(model.lastError().isEmpty());
    }

    void itemModelFiltersByTextRegexAndCounts()
    {
        ItemTableModel model;
        model.setDataset(m_db, m_datasetId);
        RowFilter filter;
        filter.text = "initech"; // brand of i % 5 == 2 (items without metadata have i % 10 == 9: none of them)
        model.setFilter(filter);
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), kItems / 5);
        QVERIFY(cell(model, 0, ItemTableModel::TitleColumn).endsWith("Initech"));

        filter = {};
        filter.regex = "^I0012[0-4]";
        model.setFilter(filter);
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(cell(model, 4, ItemTableModel::RawIdColumn), QString("I00124"));

        const auto counts = itemCounts(m_dataset);
        filter = {};
        filter.minCount = 5;
        filter.maxCount = 6;
        model.setFilter(filter);
        QTRY_VERIFY(!model.isBusy());
        const auto expected = std::count_if(counts.begin(), counts.end(), [](auto c) { return c >= 5 && c <= 6; });
        QVERIFY(expected > 0 && expected < kItems);
        QCOMPARE(model.rowCount(), static_cast<int>(expected));
        for (int row = 0; row < model.rowCount(); row += 97) {
            const auto c = number(model, row, ItemTableModel::CountColumn);
            QVERIFY2(c >= 5 && c <= 6, qPrintable(QString::number(c)));
        }
    }

    void itemModelSortsAndSurvivesAnInvalidRegex()
    {
        ItemTableModel model;
        model.setDataset(m_db, m_datasetId);
        model.sort(ItemTableModel::IndexColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(cell(model, 0, ItemTableModel::RawIdColumn), QString("I04999"));
        QCOMPARE(cell(model, kItems - 1, ItemTableModel::RawIdColumn), QString("I00000"));
        model.sort(ItemTableModel::CountColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!model.isBusy());
        const auto counts = itemCounts(m_dataset);
        QCOMPARE(number(model, 0, ItemTableModel::CountColumn), *std::max_element(counts.begin(), counts.end()));
        QCOMPARE(number(model, kItems - 1, ItemTableModel::CountColumn), *std::min_element(counts.begin(), counts.end()));

        QSignalSpy failures(&model, &DatasetTableModel::queryFailed);
        RowFilter bad;
        bad.regex = "([unclosed";
        model.setFilter(bad);
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.lastError().contains("regular expression"));
        QCOMPARE(failures.count(), 1);
        model.setFilter({});
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), kItems);
        QVERIFY(model.lastError().isEmpty());
    }

    void resultsForAnOldFilterAreNeverShown()
    {
        ItemTableModel model;
        model.setDataset(m_db, m_datasetId);
        QTRY_VERIFY(!model.isBusy());
        QSignalSpy counted(&model, &DatasetTableModel::rowsCounted);
        RowFilter slow;
        slow.regex = "product.*(acme|globex)"; // several scans' worth of work, queued first
        model.setFilter(slow);
        RowFilter fast;
        fast.text = "hooli";
        model.setFilter(fast);
        QTRY_VERIFY(!model.isBusy());
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(counted.count(), 1); // only the latest filter's count arrived
        QCOMPARE(model.rowCount(), kItems / 5 - kItems / 10);
        QVERIFY(cell(model, 0, ItemTableModel::TitleColumn).endsWith("Hooli"));
    }

    void userModelListsUsersAndSortsByLength()
    {
        UserTableModel model;
        model.setDataset(m_db, m_datasetId);
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), kUsers);
        QCOMPARE(cell(model, 2999, UserTableModel::RawIdColumn), QString("U2999"));
        QCOMPARE(number(model, 2999, UserTableModel::LengthColumn), std::int64_t(2999 % 7 + 3));
        model.sort(UserTableModel::LengthColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(number(model, 0, UserTableModel::LengthColumn), std::int64_t(9));
        RowFilter filter;
        filter.maxCount = 3;
        model.setFilter(filter);
        QTRY_VERIFY(!model.isBusy());
        QCOMPARE(model.rowCount(), (kUsers + 6) / 7); // u % 7 == 0
    }

    void searchBarRejectsAnInvalidRegexInline()
    {
        ItemsView view;
        view.showDataset(m_db, DatasetRepository(*m_db).get("generated"));
        QTRY_VERIFY(!view.model()->isBusy());
        SearchBar *bar = view.searchBar();
        bar->regexToggle()->setChecked(true);
        bar->textEdit()->setText("(unclosed");
        bar->applyNow();
        QVERIFY(bar->errorText().contains("Invalid regular expression"));
        QVERIFY(!view.model()->isBusy()); // the invalid filter was not applied
        QCOMPARE(view.model()->rowCount(), kItems);

        // Debounced: typing applies on its own after the interval.
        bar->setDebounceInterval(10);
        bar->textEdit()->setText("Hooli");
        QTRY_COMPARE(view.model()->rowCount(), kItems / 5 - kItems / 10); // i%5==4 minus i%10==9
        QVERIFY(bar->errorText().isEmpty());
        bar->minCount()->setValue(100);
        QTRY_COMPARE(view.model()->rowCount(), 0);
    }

    void detailPanesShowTextAndSequences()
    {
        const auto info = DatasetRepository(*m_db).get("generated");
        ItemsView items;
        items.showDataset(m_db, info);
        QTRY_VERIFY(!items.model()->isBusy());
        items.table()->setCurrentIndex(items.model()->index(42, 0));
        QVERIFY(items.detail()->toPlainText().contains("title: product 42 by initech; brand: initech; categories: shop, things"));

        UsersView users;
        users.showDataset(m_db, info);
        QTRY_VERIFY(!users.model()->isBusy());
        users.table()->setCurrentIndex(users.model()->index(5, 0)); // U0005: items 65..72
        const QString text = users.detail()->toPlainText();
        QVERIFY(text.contains("I00065"));
        QVERIFY(text.contains("Product 72 by Initech"));
        QVERIFY(!text.contains("I00073"));

        SummaryView summary;
        summary.showDataset(m_db, info);
        QVERIFY(summary.text().contains("4,500 (90.0%)") || summary.text().contains("4500"));
    }

    // Export CSV of a paged table writes every row the search matches, in the table's order, not
    // only the pages read so far: 1,000 rows over four pages, newest index first.
    void itemsTableExportsEveryMatchingRowAsShown()
    {
        const auto info = DatasetRepository(*m_db).get("generated");
        ItemsView items;
        items.showDataset(m_db, info);
        QTRY_VERIFY(!items.model()->isBusy());
        items.searchBar()->textEdit()->setText("initech"); // items i % 5 == 2
        items.searchBar()->applyNow();
        QTRY_VERIFY(!items.model()->isBusy());
        items.model()->sort(ItemTableModel::IndexColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!items.model()->isBusy());
        QCOMPARE(items.model()->rowCount(), kItems / 5);
        QVERIFY(items.model()->cachedPages() < 4); // the export cannot rely on the cache
        const QString file = QString::fromStdString(m_scratch.path("items.csv").string());
        QSignalSpy exported(items.exportButton(), &TableExportButton::exported);
        QSignalSpy failed(items.exportButton(), &TableExportButton::exportFailed);
        items.exportButton()->exportTo(file);
        QTRY_COMPARE(exported.count() + failed.count(), 1);
        QCOMPARE(failed.count(), 0);
        const QStringList lines = QString::fromStdString(test::readFile(file.toStdString())).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), kItems / 5 + 1);
        QVERIFY2(lines.front().startsWith("#,Raw ID,Title,Interactions,Model text"), qPrintable(lines.front()));
        const auto counts = itemCounts(m_dataset);
        for (int row = 0; row < kItems / 5; ++row) {
            const int item = kItems - 3 - 5 * row; // 4997, 4992, ...
            const QString expected = QString("%1,I%2,Product %1 by Initech,%3,").arg(item).arg(item, 5, 10, QChar('0')).arg(counts[item]);
            QVERIFY2(lines[row + 1].startsWith(expected), qPrintable(lines[row + 1] + " vs " + expected));
        }
        // A hidden column is left out, as on screen.
        items.table()->setColumnHidden(ItemTableModel::TextColumn, true);
        exported.clear();
        items.exportButton()->exportTo(file);
        QTRY_COMPARE(exported.count(), 1);
        QCOMPARE(QString::fromStdString(test::readFile(file.toStdString())).section('\n', 0, 1),
                 QString("#,Raw ID,Title,Interactions\n4997,I04997,Product 4997 by Initech,%1").arg(counts[4997]));
    }

    // 12k items with long text and 22k users from the shared Beauty files: every table operation
    // stays interactive because only counts and visible pages are read.
    void realDatasetTablesStayFast()
    {
        IDGEN_REQUIRE_SHARED_DATASETS();
        test::Scratch scratch;
        const auto project = scratch.path("beauty.idgenrec");
        {
            Database db(project);
            ImportOptions options;
            options.name = "beauty";
            options.sources.interactions = test::sharedDatasets() / "beauty" / "user_sequence.txt";
            options.sources.items = test::sharedDatasets() / "beauty" / "Amazon_Beauty.item";
            JobEvents quiet;
            runImport(db, options, quiet);
        }
        const auto db = std::make_shared<const Database>(project, Database::Mode::OpenExisting);
        const auto info = DatasetRepository(*db).get("beauty");
        ItemsView items;
        items.resize(1000, 700);
        items.show();
        auto *model = items.model();
        QElapsedTimer clock;
        auto lap = [&clock](const char *what) {
            const auto ms = clock.restart();
            qInfo("%s: %lld ms", what, static_cast<long long>(ms));
            QVERIFY2(ms < 10000, what); // generous: tens to hundreds of milliseconds here
        };
        // The window must stay responsive while a query runs: every call below returns at once.
        auto returnsAtOnce = [&clock](const char *what) {
            QVERIFY2(clock.elapsed() < 250, what);
        };
        clock.start();
        items.showDataset(db, info);
        returnsAtOnce("open");
        QTRY_VERIFY(!model->isBusy());
        QCOMPARE(model->rowCount(), 12101);
        lap("open 12k items");
        items.table()->scrollToBottom();
        QVERIFY(!cell(*model, 12100, ItemTableModel::RawIdColumn).isEmpty());
        lap("jump to the last row");
        QVERIFY(model->cachedPages() <= 3);
        items.searchBar()->textEdit()->setText("lipstick");
        items.searchBar()->applyNow();
        QTRY_VERIFY(!model->isBusy());
        QVERIFY(model->rowCount() > 10 && model->rowCount() < 12101);
        lap("text search");
        items.searchBar()->regexToggle()->setChecked(true);
        items.searchBar()->textEdit()->setText("\\bmatte\\b.*lip");
        items.searchBar()->applyNow();
        returnsAtOnce("regex search");
        QTRY_VERIFY_WITH_TIMEOUT(!model->isBusy(), 10000);
        QVERIFY(model->rowCount() > 0);
        lap("regex search");
        items.searchBar()->textEdit()->clear();
        items.searchBar()->applyNow();
        QTRY_VERIFY(!model->isBusy());
        lap("clear search");
        model->sort(ItemTableModel::CountColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!model->isBusy());
        QCOMPARE(model->rowCount(), 12101);
        QVERIFY(number(*model, 0, ItemTableModel::CountColumn) >= number(*model, 12100, ItemTableModel::CountColumn));
        lap("sort by interactions");

        UsersView users;
        users.showDataset(db, info);
        QTRY_VERIFY(!users.model()->isBusy());
        QCOMPARE(users.model()->rowCount(), 22363);
        waitData(*users.model(), 22000, 0);
        users.table()->setCurrentIndex(users.model()->index(22000, 0));
        QVERIFY(users.detail()->toPlainText().contains("oldest first"));
        lap("22k users, detail of a deep row");
    }

    void jobRunnerDeliversProgressAndFinish()
    {
        JobRunner runner;
        runner.setProgressInterval(0);
        QSignalSpy progress(&runner, &JobRunner::progress);
        QSignalSpy logs(&runner, &JobRunner::logLine);
        QSignalSpy finished(&runner, &JobRunner::finished);
        QSignalSpy failed(&runner, &JobRunner::failed);
        const Qt::HANDLE guiThread = QThread::currentThreadId();
        std::atomic<bool> ranElsewhere{false};
        QVERIFY(runner.start("count", [&](JobEvents &events, StopToken) {
            ranElsewhere = QThread::currentThreadId() != guiThread;
            for (int i = 1; i <= 4; ++i)
                events.progress(i / 4.0, "stage " + std::to_string(i));
            events.log("hello");
        }));
        QVERIFY(runner.isRunning());
        QVERIFY(!runner.start("second", [](JobEvents &, StopToken) {})); // one job at a time
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(ranElsewhere);
        QVERIFY(!runner.isRunning());
        QCOMPARE(failed.count(), 0);
        QCOMPARE(progress.count(), 4);
        QCOMPARE(progress.last().at(0).toDouble(), 1.0);
        QCOMPARE(progress.last().at(1).toString(), QString("stage 4"));
        QCOMPARE(logs.count(), 1);
    }

    void jobRunnerThrottlesProgress()
    {
        JobRunner runner; // default interval: 100 ms
        QSignalSpy progress(&runner, &JobRunner::progress);
        QSignalSpy finished(&runner, &JobRunner::finished);
        runner.start("flood", [](JobEvents &events, StopToken) {
            for (int i = 0; i < 100000; ++i)
                events.progress(i / 100000.0, "one stage");
        });
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY2(progress.count() < 50, qPrintable(QString::number(progress.count())));
    }

    void jobRunnerTurnsExceptionsIntoFailedAndStopsOnCancel()
    {
        JobRunner runner;
        QSignalSpy failed(&runner, &JobRunner::failed);
        QSignalSpy cancelled(&runner, &JobRunner::cancelled);
        runner.start("broken", [](JobEvents &, StopToken) { throw InputError("data.txt", 7, "item", "bad item"); });
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), QString("data.txt:7: field 'item': bad item"));

        runner.start("weird", [](JobEvents &, StopToken) { throw 42; });
        QTRY_COMPARE(failed.count(), 2);
        QVERIFY(!failed.last().at(0).toString().isEmpty());

        runner.start("endless", [](JobEvents &, StopToken stop) {
            while (!stop.stopRequested())
                QThread::msleep(1);
            throw Cancelled();
        });
        runner.cancel();
        QTRY_COMPARE(cancelled.count(), 1);
        QCOMPARE(failed.count(), 2);
    }

    void importDialogImportsAndTheDatasetAppears()
    {
        test::Scratch scratch;
        const auto project = scratch.path("import.idgenrec");
        const auto sequences = scratch.write("shop_sequence.txt", "u1 a b c d\nu2 b c e\nu3 a c d e f\n");
        MainWindow window;
        QVERIFY(window.openProject(QString::fromStdString(project.string()), true));
        QVERIFY(window.datasetNames().isEmpty());
        ImportDialog *dialog = window.showImportDialog();
        QVERIFY(dialog);
        QSignalSpy imported(dialog, &ImportDialog::datasetImported);
        dialog->setInteractionsFile(QString::fromStdString(sequences.string()));
        QCOMPARE(dialog->datasetName(), QString("shop_sequence")); // suggested from the file name
        dialog->setDatasetName("shop");
        dialog->setFormat("sequence");
        dialog->importButton()->click();
        QVERIFY(dialog->isImporting());
        QTRY_COMPARE(imported.count(), 1);
        QVERIFY(dialog->errorText().isEmpty());
        saveShot(*dialog, "import-report");
        const QString report = dialog->reportText();
        QVERIFY2(report.contains("Users") && report.contains("Interactions"), qPrintable(report));
        QVERIFY2(report.contains("12"), qPrintable(report)); // 4 + 3 + 5 interactions
        QCOMPARE(window.datasetNames(), QStringList{"shop"});
        QCOMPARE(window.currentDatasetName(), QString("shop"));
        auto *items = window.findChild<ItemsView *>();
        QTRY_COMPARE(items->model()->rowCount(), 6);
        dialog->reject();
    }

    void failedImportShowsTheErrorAndAddsNothing()
    {
        test::Scratch scratch;
        const auto project = scratch.path("fail.idgenrec");
        const auto sequences = scratch.write("broken.txt", "u1 a b\nu2 b c\nu1 c d\n"); // u1 twice
        MainWindow window;
        QVERIFY(window.openProject(QString::fromStdString(project.string()), true));
        ImportDialog *dialog = window.showImportDialog();
        QSignalSpy failed(dialog, &ImportDialog::importFailed);
        dialog->setInteractionsFile(QString::fromStdString(sequences.string()));
        dialog->importButton()->click();
        QTRY_COMPARE(failed.count(), 1);
        const QString error = dialog->errorText();
        QVERIFY2(error.contains("broken.txt:3") && error.contains("user id") && error.contains("duplicate"), qPrintable(error));
        QVERIFY(dialog->isVisible()); // the user can fix the file and try again
        saveShot(*dialog, "import-failed");
        QVERIFY(window.datasetNames().isEmpty());
        Database db(project, Database::Mode::OpenExisting);
        QVERIFY(DatasetRepository(db).list().empty());
        QVERIFY(window.errorBanner()->isShowing()); // the window keeps the error too, until dismissed
    }

    void mainWindowRefusesAForeignFileAndKeepsItsProject()
    {
        test::Scratch scratch;
        const auto bogus = scratch.write("notes.idgenrec", "this is not a database, just text that is long enough\n");
        MainWindow window;
        QVERIFY(window.openProject(QString::fromStdString(m_project.string())));
        QCOMPARE(window.datasetNames(), QStringList{"generated"});
        QVERIFY(!window.openProject(QString::fromStdString(bogus.string())));
        QVERIFY(window.errorBanner()->isShowing());
        QVERIFY(window.errorBanner()->message().contains("not"));
        QCOMPARE(window.projectPath(), QString::fromStdString(m_project.string()));
        QVERIFY(window.windowTitle().contains("table.idgenrec"));
        QCOMPARE(window.tabs()->count(), static_cast<int>(workbenchViews().size())); // every registered view
    }

    void darkPaletteKeepsTheErrorBannerReadable()
    {
        const QPalette original = QApplication::palette();
        QApplication::setPalette(style::darkPalette());
        {
            MainWindow window;
            window.resize(1100, 700);
            QVERIFY(window.openProject(QString::fromStdString(m_project.string())));
            window.showView("Items");
            window.show();
            window.showError("Something failed", "data.txt:3: field 'user id': duplicate user 'u1'", "details");
            QTRY_VERIFY(!window.findChild<ItemsView *>()->model()->isBusy());
            const QColor banner = window.errorBanner()->palette().color(QPalette::Window);
            QVERIFY2(banner.lightnessF() < 0.5, qPrintable(banner.name())); // tinted from the dark base
            QVERIFY(banner != style::darkPalette().color(QPalette::Window));
            saveShot(window, "dark");
            window.errorBanner()->dismiss();
            QVERIFY(!window.errorBanner()->isShowing());
        }
        QApplication::setPalette(original);
    }

    void statusBarShowsTheRunningJobAndCancelsIt()
    {
        MainWindow window;
        window.resize(1000, 600);
        QVERIFY(window.openProject(QString::fromStdString(m_project.string())));
        window.show();
        auto *status = window.findChild<JobStatusWidget *>();
        QVERIFY(status && status->isHidden());
        QSignalSpy cancelled(window.jobRunner(), &JobRunner::cancelled);
        window.jobRunner()->start("Long job", [](JobEvents &events, StopToken stop) {
            events.progress(0.4, "crunching");
            while (!stop.stopRequested())
                QThread::msleep(2);
            throw Cancelled();
        });
        QTRY_VERIFY(status->stageText().contains("crunching"));
        QVERIFY(status->isVisible());
        QCOMPARE(status->progressValue(), 400);
        QVERIFY(!window.findChild<QAction *>("importDataset")->isEnabled()); // one job at a time
        saveShot(window, "job-running");
        auto *cancel = status->findChild<QToolButton *>("cancelJob");
        QVERIFY(cancel);
        cancel->click();
        QTRY_COMPARE(cancelled.count(), 1);
        QVERIFY(status->isHidden());
        QVERIFY(window.findChild<QAction *>("importDataset")->isEnabled());
        QVERIFY(!window.errorBanner()->isShowing()); // a cancel is not an error
    }

    void shortcutSheetListsTheStandardShortcuts()
    {
        MainWindow window;
        auto *action = window.findChild<QAction *>("shortcuts");
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::Key_F1));
        action->trigger();
        QTableWidget *table = nullptr;
        QTRY_VERIFY((table = window.findChild<QTableWidget *>("shortcutTable")) != nullptr);
        QStringList rows;
        for (int row = 0; row < table->rowCount(); ++row)
            rows << table->item(row, 0)->text() + "=" + table->item(row, 1)->text();
        const QString sheet = rows.join("; ");
        for (const char *expected : {"New Project=Ctrl+N", "Open Project=Ctrl+O", "Import Dataset=Ctrl+I", "Quit=Ctrl+Q"})
            QVERIFY2(sheet.contains(expected), qPrintable(sheet));
        QVERIFY2(sheet.contains("Keyboard Shortcuts=F1"), qPrintable(sheet));
        // Views' own actions are listed too, the beam inspector's and its history editor's included.
        for (const char *expected : {"Start Training=Ctrl+R", "Stop Training (checkpoint)=Ctrl+Shift+S", "Refresh Runs=F5",
                                     "Decode (Beam Inspector)=Ctrl+Return, Ctrl+Enter",
                                     "Remove Item From the Written History=Del, Backspace"})
            QVERIFY2(sheet.contains(expected), qPrintable(sheet));
        // Every action with a shortcut anywhere in the window is a row of the sheet, and no key
        // bypasses the actions (a bare QShortcut would be missing from the sheet).
        int withKeys = 0;
        for (const QAction *a : window.findChildren<QAction *>()) {
            if (a->shortcuts().isEmpty())
                continue;
            ++withKeys;
            QStringList keys;
            for (const QKeySequence &key : a->shortcuts())
                keys << key.toString(QKeySequence::NativeText);
            const QString row = a->text().remove('&').remove(QStringLiteral("…")) + "=" + keys.join(", ");
            QVERIFY2(rows.contains(row), qPrintable(row + " is not in: " + sheet));
        }
        QCOMPARE(table->rowCount(), withKeys);
        QVERIFY(window.findChildren<QShortcut *>().isEmpty());
    }

    // View → Dark Theme: Fusion and a dark palette, remembered; the ranked items' test-item row,
    // the word changes and the plots take their colours from it.
    void darkThemeIsSelectableAndRemembered()
    {
        QSettings().remove("appearance/darkTheme");
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            auto *dark = window.findChild<QAction *>("darkTheme");
            QVERIFY(dark && dark->isCheckable() && !dark->isChecked());
            dark->trigger();
            QVERIFY(style::darkThemeApplied());
            QVERIFY(style::isDark(QApplication::palette()));
            QCOMPARE(QApplication::style()->name().toLower(), QString("fusion"));
            QVERIFY(style::rememberedDarkTheme());
            QTRY_VERIFY(style::isDark(window.tabs()->palette())); // the widgets follow
            // Colours derived from the dark palette keep text readable on them.
            const QPalette p = QApplication::palette();
            const auto contrast = [](const QColor &a, const QColor &b) { return std::abs(a.lightnessF() - b.lightnessF()); };
            QVERIFY(contrast(style::highlightTint(p), p.color(QPalette::Text)) > 0.4);
            QVERIFY(contrast(style::addedText(p), p.color(QPalette::Base)) > 0.4);
            QVERIFY(contrast(style::errorText(p), p.color(QPalette::Base)) > 0.3);
            QVERIFY(contrast(p.color(QPalette::Link), p.color(QPalette::Base)) > 0.4);
            dark->trigger(); // and back
            QVERIFY(!style::darkThemeApplied());
            QVERIFY(!style::isDark(QApplication::palette()));
            QVERIFY(!style::rememberedDarkTheme());
            const QPalette light = QApplication::palette();
            QVERIFY(contrast(style::highlightTint(light), light.color(QPalette::Text)) > 0.4);
        }
        QSettings().remove("appearance/darkTheme");
    }

    // The window remembers its layout and last view; the app reopens the last project.
    void windowRemembersLayoutAndLastView()
    {
        QSize closedSize;
        {
            MainWindow window;
            QVERIFY(window.openProject(QString::fromStdString(m_project.string())));
            window.resize(1000, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(window.showView("curves"));
            closedSize = window.size(); // what the layout allowed
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.currentViewName(), QString("curves"));
        QCOMPARE(again.size(), closedSize);
        QVERIFY(closedSize != QSize(1200, 760)); // not the first-start default
        QCOMPARE(recent::projects().value(0), QFileInfo(QString::fromStdString(m_project.string())).absoluteFilePath());
    }

    void demoDatasetIsCreatedThroughTheRunner()
    {
        test::Scratch scratch;
        MainWindow window;
        QVERIFY(window.openProject(QString::fromStdString(scratch.path("demo.idgenrec").string()), true));
        QSignalSpy shown(&window, &MainWindow::datasetShown);
        window.ensureDemoDataset();
        QVERIFY(window.jobRunner()->isRunning()); // the window did not block
        QTRY_VERIFY_WITH_TIMEOUT(window.datasetNames().contains("demo"), 120000);
        QCOMPARE(window.currentDatasetName(), QString("demo"));
        const auto info = DatasetRepository(Database(scratch.path("demo.idgenrec"))).get("demo");
        QTRY_COMPARE(window.findChild<ItemsView *>()->model()->rowCount(), static_cast<int>(info.items));
        QTRY_COMPARE(window.findChild<UsersView *>()->model()->rowCount(), static_cast<int>(info.users));
        QVERIFY(shown.count() >= 1);
        QVERIFY(!window.errorBanner()->isShowing());
    }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
