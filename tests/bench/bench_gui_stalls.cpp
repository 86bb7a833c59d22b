// How long the window's event loop stalls while a run trains in the Training view (issue 11:
// max < 50 ms). A 5 ms precise timer on the GUI thread records the gap between its ticks; a gap
// beyond 5 ms is time the loop could not answer (painting, replots, reading the project file).
//
//   bench_gui_stalls [--project P] [--config demo|FILE] [--seconds 60]
//
// Without --project a demo project is made in a temporary folder. Runs offscreen when there is
// no display. Prints the longest stall, the 99th percentile and the points the curves received.
#include "JobRunner.h"
#include "MainWindow.h"
#include "ProjectContext.h"
#include "plot/PlotWidget.h"
#include "views/TrainingView.h"
#include "widgets/ConfigEditor.h"

#include "jobs/DemoJob.h"
#include "store/Database.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("IDGenRecBench");
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({"project", "Project with a dataset 'demo' (default: a fresh demo project).", "P"});
    parser.addOption({"config", "Built-in config or TOML file to train.", "CONFIG", "demo"});
    parser.addOption({"seconds", "How long to measure.", "S", "60"});
    parser.process(app);

    QTemporaryDir scratch;
    QString project = parser.value("project");
    if (project.isEmpty()) {
        project = scratch.filePath("bench.idgenrec");
        idgen::JobEvents quiet;
        idgen::createDemoDataset(idgen::Database(project.toStdString()), "demo", quiet);
    }

    idgen::ui::MainWindow window;
    window.resize(1280, 800);
    if (!window.openProject(project))
        return 1;
    window.selectDataset("demo");
    window.show();
    window.showView("training");
    auto *training = qobject_cast<idgen::ui::TrainingView *>(window.view("training"));
    const QString config = parser.value("config");
    if (!training->configEditor()->loadBuiltin(config) && !training->configEditor()->loadFile(config)) {
        std::fprintf(stderr, "cannot load config %s\n", qPrintable(config));
        return 1;
    }

    std::vector<double> gaps;
    QElapsedTimer clock;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    qint64 last = 0;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last > 0)
            gaps.push_back(static_cast<double>(now - last) / 1e6);
        last = now;
    });
    const int seconds = parser.value("seconds").toInt();
    QTimer::singleShot(0, [&] {
        training->start();
        clock.start();
        tick.start();
    });
    QTimer::singleShot(seconds * 1000, [&] {
        tick.stop();
        training->stop();
    });
    QObject::connect(window.jobRunner(), &idgen::ui::JobRunner::runningChanged, &app, [&](bool running) {
        if (!running)
            app.quit();
    });
    app.exec();

    std::sort(gaps.begin(), gaps.end());
    const double p99 = gaps.empty() ? 0.0 : gaps[static_cast<std::size_t>(0.99 * static_cast<double>(gaps.size() - 1))];
    const std::size_t points = training->lossPlot()->series().empty() ? 0 : training->lossPlot()->series().front().x.size();
    std::printf("event loop while training (%s, %d s): %zu ticks of 5 ms, longest gap %.1f ms, 99th percentile %.1f ms, "
                "%zu loss points drawn live\n",
                qPrintable(config), seconds, gaps.size(), gaps.empty() ? 0.0 : gaps.back(), p99, points);
    return 0;
}
