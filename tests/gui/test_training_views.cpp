// The Training and Curves & Runs views on a real (tiny) run, and the screenshot command: a run
// started from the Training view trains on the worker thread with every loss point on the live
// curve, pauses, stops with a checkpoint and resumes; the runs table and curves read the project
// file; the screenshot command saves each view and refuses an unknown one.
#include "JobRunner.h"
#include "MainWindow.h"
#include "ProjectContext.h"
#include "Screenshot.h"
#include "ViewRegistry.h"
#include "models/RunTableModel.h"
#include "models/TableCsv.h"
#include "plot/PlotWidget.h"
#include "views/CurvesView.h"
#include "views/TrainingView.h"
#include "widgets/ConfigEditor.h"
#include "widgets/ErrorBanner.h"

#include "store/Database.h"
#include "support/TestSupport.h"
#include "train/RunOverview.h"
#include "train/RunRepository.h"

#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableView>

using namespace idgen;
using namespace idgen::ui;

namespace {

// test_training's tiny model: seconds per epoch on the small demo dataset.
QString tinyConfig(int epochs)
{
    return QStringLiteral(R"([ids]
scheme = "sequential"
[model]
size = "tiny"
[data]
max_history = 8
max_prompt_tokens = 96
templates_per_sample = 1
[train]
epochs = %1
batch = 16
learning_rate = 0.003
seed = 3
[validation]
users = 20
beams = 10
[test]
beams = 10
[checkpoint]
every_steps = 2
every_minutes = 0.0
)")
        .arg(epochs);
}

std::size_t storedPoints(const Database &db, std::int64_t run, const std::string &name, const std::string &split)
{
    std::size_t n = 0;
    for (const MetricPoint &p : curvePoints(db, run, name))
        n += p.split == split ? 1 : 0;
    return n;
}

} // namespace

class TestTrainingViews : public QObject {
    Q_OBJECT
private:
    test::Scratch m_scratch;
    QString m_project;
    std::int64_t m_doneRun = 0;
    std::int64_t m_stoppedRun = 0;

    template <class View>
    View *viewOf(MainWindow &window, const char *name)
    {
        auto *view = qobject_cast<View *>(window.view(name));
        if (view)
            window.showView(name);
        return view;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("IDGenRecTest");
        DemoOptions demo;
        demo.version = 1;
        demo.items = 40;
        demo.users = 60;
        demo.minSequence = 4;
        demo.maxSequence = 12;
        test::createDemoProject(m_scratch.path("views.idgenrec"), demo, 300);
        m_project = QString::fromStdString(m_scratch.path("views.idgenrec").string());
    }

    void configEditorValidatesWithTheCoreParser()
    {
        ConfigEditor editor;
        QVERIFY(editor.validate().isEmpty()); // the built-in demo config
        QCOMPARE(editor.configForRun(), QString("demo"));
        editor.setText(tinyConfig(2) + "\n[train]\nepoch = 3\n");
        QVERIFY(!editor.validate().isEmpty()); // a repeated table
        editor.setText(tinyConfig(2).replace("batch = 16", "batchh = 16"));
        const QString error = editor.validate();
        QVERIFY2(error.contains("batchh") && error.contains(":11"), qPrintable(error)); // names key and line
        QCOMPARE(editor.editor()->extraSelections().size(), 1);          // the line is highlighted
        QVERIFY(!editor.saveTo(QString::fromStdString(m_scratch.path("bad.toml").string())));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(m_scratch.path("bad.toml").string()))); // never saved
        editor.setText(tinyConfig(2));
        const QString good = QString::fromStdString(m_scratch.path("good.toml").string());
        QVERIFY(editor.saveTo(good));
        QCOMPARE(editor.configForRun(), QFileInfo(good).absoluteFilePath()); // the file the CLI runs too
        QCOMPARE(QString::fromStdString(test::readFile(good.toStdString())), tinyConfig(2));
    }

    void trainingViewRunsATinyRunToTheEnd()
    {
        MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.openProject(m_project));
        window.show();
        auto *training = viewOf<TrainingView>(window, "training");
        QVERIFY(training);
        training->configEditor()->setText(tinyConfig(2));
        training->start();
        QVERIFY(window.jobRunner()->isRunning()); // the window did not wait
        QTRY_VERIFY_WITH_TIMEOUT(!window.jobRunner()->isRunning(), 240000);
        QVERIFY2(!window.errorBanner()->isShowing(), qPrintable(window.errorBanner()->message()));
        QVERIFY(training->liveRun());
        m_doneRun = *training->liveRun();
        const Database db(m_scratch.path("views.idgenrec"), Database::Mode::OpenExisting);
        QCOMPARE(QString::fromStdString(RunRepository(db).load(m_doneRun).status), QString("done"));
        // Every loss point and validation point reached the live curves.
        const auto &loss = training->lossPlot()->series();
        QCOMPARE(loss.size(), std::size_t(1));
        QCOMPARE(loss.front().x.size(), storedPoints(db, m_doneRun, "loss", "train"));
        QVERIFY(loss.front().x.size() >= 4);
        const auto &valid = training->validationPlot()->series();
        QCOMPARE(valid.front().x, (std::vector<double>{1, 2})); // two epochs
        QCOMPARE(valid.front().x.size(), storedPoints(db, m_doneRun, "hr@10", "valid"));
        QCOMPARE(window.context()->run(), std::optional<std::int64_t>(m_doneRun)); // the views follow it
    }

    void trainingViewPausesStopsAndResumes()
    {
        MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.openProject(m_project));
        window.show();
        auto *training = viewOf<TrainingView>(window, "training");
        training->configEditor()->setText(tinyConfig(60));
        training->start();
        QTRY_VERIFY_WITH_TIMEOUT(!training->lossPlot()->series().front().x.empty(), 120000);
        const Database db(m_scratch.path("views.idgenrec"), Database::Mode::OpenExisting);
        const std::int64_t run = *training->liveRun();
        training->togglePause();
        QVERIFY(training->isPaused());
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(RunRepository(db).load(run).status), QString("paused"), 60000);
        // The last step's loss point may still be queued for the window when the status turns
        // paused (seen on a clean-clone run): let it arrive, then no more may come.
        QTest::qWait(400);
        const std::size_t pausedAt = training->lossPlot()->series().front().x.size();
        QTest::qWait(400);
        QCOMPARE(training->lossPlot()->series().front().x.size(), pausedAt); // it holds
        training->togglePause();
        QTRY_VERIFY_WITH_TIMEOUT(training->lossPlot()->series().front().x.size() > pausedAt, 60000);
        training->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!window.jobRunner()->isRunning(), 120000);
        QCOMPARE(QString::fromStdString(RunRepository(db).load(run).status), QString("stopped"));
        QCOMPARE(training->lossPlot()->series().front().x.size(), storedPoints(db, run, "loss", "train"));
        m_stoppedRun = run;

        // Resume continues the same run from its checkpoint, then stops again.
        window.context()->setRun(run);
        training->resume();
        QVERIFY(window.jobRunner()->isRunning());
        const std::size_t before = storedPoints(db, run, "loss", "train");
        QTRY_VERIFY_WITH_TIMEOUT(storedPoints(db, run, "loss", "train") > before + 1, 120000);
        training->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!window.jobRunner()->isRunning(), 120000);
        QCOMPARE(QString::fromStdString(RunRepository(db).load(run).status), QString("stopped"));
        QVERIFY(!window.errorBanner()->isShowing());
    }

    void curvesViewTablesAndOverlaysRuns()
    {
        QVERIFY(m_doneRun > 0 && m_stoppedRun > 0);
        MainWindow window;
        window.resize(1200, 800);
        QVERIFY(window.openProject(m_project));
        window.show();
        auto *curves = viewOf<CurvesView>(window, "curves");
        QVERIFY(curves);
        QCOMPARE(curves->runs()->rowCount(), 2);
        QCOMPARE(curves->plottedRuns(), (std::set<std::int64_t>{m_doneRun, m_stoppedRun})); // overlaid
        curves->metricPlot()->replotNow();
        QCOMPARE(curves->metricPlot()->series().size(), std::size_t(1)); // only the done run validated
        QCOMPARE(curves->lossPlot()->series().size(), std::size_t(2));
        const Database db(m_scratch.path("views.idgenrec"), Database::Mode::OpenExisting);
        for (const PlotSeries &s : curves->lossPlot()->series())
            QCOMPARE(s.x.size(), storedPoints(db, s.key.toLongLong(), "loss", "train"));
        // The colour of a run is the same in the table and on the plots.
        const int row = curves->runs()->rowOfRun(m_doneRun);
        QCOMPARE(curves->runs()->index(row, 0).data(Qt::DecorationRole).value<QColor>(), curves->metricPlot()->series().front().colour);
        // Per round: one point per round (a recommender run has one round).
        curves->axisBox()->setCurrentIndex(curves->axisBox()->findData(static_cast<int>(CurveAxis::Round)));
        QCOMPARE(curves->metricPlot()->series().front().x.size(), std::size_t(1));

        // The table: best/test metrics of the done run, sortable, CSV exactly as shown.
        const RunOverview &done = curves->runs()->rows()[static_cast<std::size_t>(row)];
        QVERIFY(done.bestValid.contains("hr@10"));
        QVERIFY(done.test.contains("hr@10"));
        QCOMPARE(done.config[0].second, std::string("tiny"));
        const QString csv = tableCsv(*curves->table());
        QVERIFY(csv.startsWith("Run,Name,Kind,Status,Snapshot,Model,Epochs"));
        QCOMPARE(csv.count('\n'), 3);
        curves->table()->sortByColumn(0, Qt::DescendingOrder);
        QVERIFY(tableCsv(*curves->table()).section('\n', 1, 1).startsWith(QString::number(m_stoppedRun) + ","));
        const QString file = QString::fromStdString(m_scratch.path("runs.csv").string());
        QVERIFY(saveTableCsv(*curves->table(), file).isEmpty());
        QCOMPARE(QString::fromStdString(test::readFile(file.toStdString())), tableCsv(*curves->table()));

        // Selecting one run makes it the current run of every view.
        curves->table()->selectRow(curves->table()->model()->rowCount() - 1);
        QTRY_COMPARE(curves->plottedRuns().size(), std::size_t(1));
        QCOMPARE(window.context()->run(), std::optional<std::int64_t>(*curves->plottedRuns().begin()));
    }

    void screenshotCommandSavesEachView()
    {
        for (const char *name : {"datasets", "training", "curves"}) {
            MainWindow window;
            window.resize(1000, 700);
            QVERIFY(window.openProject(m_project));
            window.show();
            const QString file = QString::fromStdString(m_scratch.path(std::string(name) + ".png").string());
            int code = -1;
            QString message;
            runScreenshot(window, {name, {}, file}, [&](int c, const QString &m) {
                code = c;
                message = m;
            });
            QTRY_VERIFY_WITH_TIMEOUT(code >= 0, 60000);
            QVERIFY2(code == 0, qPrintable(message));
            QCOMPARE(window.currentViewName(), QString(name));
            const QImage image(file);
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
            if (QString(name) != "datasets")
                QCOMPARE(window.context()->run(), std::optional<std::int64_t>(m_stoppedRun)); // the newest run
        }
        // A named run, and a view that does not exist.
        MainWindow window;
        QVERIFY(window.openProject(m_project));
        window.show();
        int code = -1;
        QString message;
        ScreenshotRequest request;
        request.run = m_doneRun;
        runScreenshot(window, {"curves", request, QString::fromStdString(m_scratch.path("run.png").string())},
                      [&](int c, const QString &m) { code = c, message = m; });
        QTRY_VERIFY_WITH_TIMEOUT(code >= 0, 60000);
        QCOMPARE(code, 0);
        QCOMPARE(qobject_cast<CurvesView *>(window.view("curves"))->plottedRuns(), (std::set<std::int64_t>{m_doneRun}));
        code = -1;
        runScreenshot(window, {"nonsense", {}, QString::fromStdString(m_scratch.path("x.png").string())},
                      [&](int c, const QString &m) { code = c, message = m; });
        QTRY_VERIFY(code >= 0);
        QCOMPARE(code, 1);
        QVERIFY2(message.contains("no view named 'nonsense'") && message.contains("curves"), qPrintable(message));
        request.run = 999;
        code = -1;
        runScreenshot(window, {"curves", request, QString::fromStdString(m_scratch.path("y.png").string())},
                      [&](int c, const QString &m) { code = c, message = m; });
        QTRY_VERIFY(code >= 0);
        QCOMPARE(code, 1);
        QVERIFY2(message.contains("999"), qPrintable(message));
    }
};

QTEST_MAIN(TestTrainingViews)
#include "test_training_views.moc"
