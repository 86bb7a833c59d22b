// idgenrec-workbench [PROJECT] [--view NAME] [--run R] [--snapshot S] [--user RAW] [--screenshot FILE]
//                    [--dark] [--headless-demo]
#include "DemoProject.h"
#include "MainWindow.h"
#include "RecentProjects.h"
#include "Screenshot.h"
#include "Style.h"
#include "ViewRegistry.h"
#include "runtime/Runtime.h"
#include "widgets/ErrorBanner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include <iostream>
#include <string_view>

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

// The screenshot command's --run / --snapshot / --user; false (and a message) when one is no id.
bool readRequest(const QCommandLineParser &parser, idgen::ui::ScreenshotRequest &request)
{
    for (const char *name : {"run", "snapshot"}) {
        if (!parser.isSet(name))
            continue;
        bool ok = false;
        const qint64 id = parser.value(name).toLongLong(&ok);
        if (!ok || id <= 0) {
            std::cerr << "error: --" << name << " takes a positive id, not '" << parser.value(name).toStdString() << "'\n";
            return false;
        }
        (std::string_view(name) == "run" ? request.run : request.snapshot) = id;
    }
    request.user = parser.value("user");
    return true;
}

// Without a PROJECT the window reopens the last project, or the demo project the first time.
QString lastProject()
{
    const QStringList recentPaths = idgen::ui::recent::projects();
    return !recentPaths.isEmpty() && QFileInfo::exists(recentPaths.front()) ? recentPaths.front() : QString();
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
    parser.addPositionalArgument("project", "Project file to open (default: the last one, else the demo project).", "[PROJECT]");
    const QCommandLineOption screenshot("screenshot", "Save a PNG of the window showing --view (with real content) to FILE, then quit.", "FILE");
    const QCommandLineOption headless("headless-demo", "No window: create/open the demo project (or PROJECT) and print the dataset summary.");
    const QCommandLineOption view("view", "Show the view NAME first: " + idgen::ui::viewNames().join(", ") +
                                              " (or a page of one: summary, items, users).", "NAME");
    const QCommandLineOption run("run", "With --screenshot: show run R (default: the newest run).", "R");
    const QCommandLineOption snapshot("snapshot", "With --screenshot: show ID snapshot S (default: the run's, or the newest).", "S");
    const QCommandLineOption user("user", "With --screenshot: show the user with raw id RAW.", "RAW");
    const QCommandLineOption dark("dark", "Use the dark theme (Fusion, a dark palette). Without --screenshot the "
                                          "window also remembers the choice made in View → Dark Theme; a screenshot "
                                          "is light unless --dark is given.");
    parser.addOptions({screenshot, view, run, snapshot, user, dark, headless});
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
    idgen::ui::ScreenshotOptions shot;
    if (wantScreenshot) {
        shot.file = parser.value(screenshot);
        shot.view = parser.isSet(view) ? parser.value(view) : QStringLiteral("datasets");
        if (!idgen::ui::findView(shot.view)) {
            std::cerr << "error: there is no view named '" << shot.view.toStdString() << "' in this build; the views are: "
                      << idgen::ui::viewNames().join(", ").toStdString() << "\n";
            return 2;
        }
        if (!readRequest(parser, shot.request))
            return 2;
    }
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
    // Before the window exists, so every widget is built with the theme's palette.
    if (parser.isSet(dark) || (!wantScreenshot && idgen::ui::style::rememberedDarkTheme()))
        idgen::ui::style::applyTheme(true);
    idgen::ui::MainWindow window;
    window.show();
    const QString project = !positional.isEmpty() ? positional.front() : lastProject();
    if (!project.isEmpty()) {
        const bool opened = window.openProject(project);
        if (!opened && wantScreenshot) {
            std::cerr << "error: could not open " << project.toStdString() << ": "
                      << window.errorBanner()->message().toStdString() << "\n";
            return 1;
        }
    } else if (window.openProject(idgen::ui::defaultDemoProjectPath(), true)) {
        window.ensureDemoDataset();
    }
    if (wantScreenshot) {
        idgen::ui::runScreenshot(window, shot, [&app](int code, const QString &message) {
            if (code != 0)
                std::cerr << "error: " << message.toStdString() << "\n";
            app.exit(code);
        });
    } else if (parser.isSet(view) && !window.showView(parser.value(view))) {
        std::cerr << "warning: there is no view named '" << parser.value(view).toStdString()
                  << "'; the views are: " << idgen::ui::viewNames().join(", ").toStdString() << "\n";
    }
    return app.exec();
}
