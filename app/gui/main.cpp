// idgenrec-workbench [PROJECT] [--screenshot FILE] [--headless-demo]
#include "DemoProject.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "RowBrowser.h"
#include "DatasetTableModel.h"
#include "runtime/Runtime.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QTimer>

#include <iostream>

namespace {

// No X11/Wayland display and no platform chosen: a QApplication would abort, so say so and fall
// back to the headless summary (CI, ssh sessions, the GPU host).
bool noDisplay()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    return qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
           qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return false;
#endif
}

// Saves the window once its dataset is on screen (or it settled on an error), then quits.
void captureWhenReady(QApplication &app, idgen::ui::MainWindow &window, const QString &file)
{
    auto captured = std::make_shared<bool>(false);
    auto capture = [&app, &window, file, captured] {
        if (*captured || window.jobRunner()->isRunning())
            return;
        *captured = true;
        // Tables read in the background: wait until none is loading, then let the paint settle.
        auto *poll = new QTimer(&window);
        auto waited = std::make_shared<int>(0);
        QObject::connect(poll, &QTimer::timeout, &window, [&app, &window, file, poll, waited] {
            bool loading = false;
            for (const auto *browser : window.findChildren<idgen::ui::RowBrowser *>())
                loading = loading || browser->model()->isLoading();
            if (loading && (*waited += poll->interval()) < 20000)
                return;
            poll->stop();
            QTimer::singleShot(300, &window, [&app, &window, file] {
                const bool saved = window.grab().save(file);
                if (!saved)
                    std::cerr << "could not write the screenshot to " << file.toStdString() << "\n";
                app.exit(saved ? 0 : 1);
            });
        });
        poll->start(50);
    };
    QObject::connect(&window, &idgen::ui::MainWindow::datasetShown, &window, capture);
    QObject::connect(window.jobRunner(), &idgen::ui::JobRunner::runningChanged, &window, capture);
    QTimer::singleShot(0, &window, capture);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName("IDGenRec");
    QCoreApplication::setApplicationName("idgenrec-workbench");
    QCoreApplication::setApplicationVersion(IDGEN_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("IDGenRec Workbench: generative recommendation with textual item IDs.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("project", "Project file to open (default: the demo project).", "[PROJECT]");
    const QCommandLineOption screenshot("screenshot", "Save a screenshot of the window to FILE once the dataset is shown, then quit.", "FILE");
    const QCommandLineOption headless("headless-demo", "No window: create/open the demo project (or PROJECT) and print the dataset summary.");
    const QCommandLineOption view("view", "Show the view (tab) named NAME first, e.g. Items.", "NAME");
    parser.addOption(screenshot);
    parser.addOption(view);
    parser.addOption(headless);
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const bool parsed = parser.parse(arguments);

    if (!parsed || parser.isSet("help") || parser.isSet("version")) {
        QCoreApplication app(argc, argv); // no display needed to print help or an error
        parser.process(app);              // exits
    }
    try {
        idgen::applyDefaultThreads(); // measured CPU thread defaults, or IDGEN_THREADS
    } catch (const std::exception &error) {
        std::cerr << "error: " << error.what() << '\n';
        return 1;
    }
    const QStringList positional = parser.positionalArguments();
    const bool wantScreenshot = parser.isSet(screenshot);
    if (wantScreenshot && noDisplay())
        qputenv("QT_QPA_PLATFORM", "offscreen"); // a screenshot needs no screen
    if (parser.isSet(headless) || noDisplay()) {
        QCoreApplication app(argc, argv);
        if (!parser.isSet(headless))
            std::cerr << "no display found (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM are unset); "
                         "printing the summary instead of opening a window\n";
        const bool demo = positional.isEmpty();
        return idgen::ui::runHeadlessDemo(demo ? idgen::ui::defaultDemoProjectPath() : positional.front(), demo, std::cout, std::cerr);
    }

    QApplication app(argc, argv);
    idgen::ui::MainWindow window;
    window.show();
    if (!positional.isEmpty()) {
        window.openProject(positional.front());
    } else if (window.openProject(idgen::ui::defaultDemoProjectPath(), true)) {
        window.ensureDemoDataset();
    }
    if (parser.isSet(view))
        window.showView(parser.value(view));
    if (wantScreenshot)
        captureWhenReady(app, window, parser.value(screenshot));
    return app.exec();
}
