// MainWindow's actions and menus, apart from the window's state handling.
#include "MainWindow.h"

#include "JobRunner.h"
#include "ProjectContext.h"
#include "RecentProjects.h"
#include "Style.h"
#include "views/ContextView.h"
#include "widgets/HelpDialogs.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QStatusBar>

namespace idgen::ui {
namespace {

const char *const kProjectFilter = QT_TRANSLATE_NOOP("MainWindow", "IDGenRec projects (*.idgenrec);;All files (*)");

} // namespace

void MainWindow::createActions()
{
    // Fixed keys rather than QKeySequence::StandardKey: some platform themes map Quit to nothing,
    // and the cheat sheet and the docs promise these.
    auto add = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *action = new QAction(text, this);
        if (!key.isEmpty())
            action->setShortcut(key);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    QAction *newAction = add(tr("&New Project…"), QKeySequence(Qt::CTRL | Qt::Key_N), &MainWindow::newProject);
    QAction *openAction = add(tr("&Open Project…"), QKeySequence(Qt::CTRL | Qt::Key_O), &MainWindow::openProjectDialog);
    m_importAction = add(tr("&Import Dataset…"), QKeySequence(Qt::CTRL | Qt::Key_I), [this] { showImportDialog(); });
    m_demoAction = add(tr("Create &Demo Dataset"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), &MainWindow::createDemoDataset);
    QAction *quitAction = add(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), &QWidget::close);
    // The sheet lists every action with a shortcut in the window, views and their pages included.
    QAction *shortcutsAction =
        add(tr("&Keyboard Shortcuts"), QKeySequence(Qt::Key_F1), [this] { showShortcutSheet(this, shortcutActions(*this)); });
    QAction *aboutAction = add(tr("&About IDGenRec Workbench"), QKeySequence(), [this] { showAbout(this, m_context->database().get()); });
    QAction *nextTab = add(tr("Next View"), QKeySequence(Qt::CTRL | Qt::Key_PageDown),
                           [this] { m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count()); });
    QAction *previousTab = add(tr("Previous View"), QKeySequence(Qt::CTRL | Qt::Key_PageUp), [this] {
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1) % m_tabs->count());
    });
    // Checked: the dark theme (Fusion and a dark palette), remembered for the next start.
    QAction *darkTheme = add(tr("&Dark Theme"), QKeySequence(), [this](bool dark) {
        style::applyTheme(dark);
        style::rememberDarkTheme(dark);
        m_context->notifyContentsChanged(); // plots and tables take colours from the new palette
    });
    darkTheme->setCheckable(true);
    darkTheme->setChecked(style::darkThemeApplied());
    darkTheme->setObjectName("darkTheme");
    QAction *cancelJob = add(tr("Cancel Running Job"), QKeySequence(Qt::CTRL | Qt::Key_Period), [this] { m_jobs->cancel(); });
    // Window-wide shortcuts: they must work wherever focus is, also without a menu entry.
    for (QAction *action : {nextTab, previousTab, cancelJob})
        addAction(action);
    nextTab->setObjectName("nextView");
    previousTab->setObjectName("previousView");
    cancelJob->setObjectName("cancelJob");
    newAction->setObjectName("newProject");
    openAction->setObjectName("openProject");
    m_importAction->setObjectName("importDataset");
    m_demoAction->setObjectName("createDemo");
    quitAction->setObjectName("quit");
    shortcutsAction->setObjectName("shortcuts");
    aboutAction->setObjectName("about");
    quitAction->setMenuRole(QAction::QuitRole);
    aboutAction->setMenuRole(QAction::AboutRole);
}

void MainWindow::createMenus()
{
    auto byName = [this](const char *name) { return findChild<QAction *>(name); };
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(byName("newProject"));
    file->addAction(byName("openProject"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    file->addAction(m_importAction);
    file->addAction(m_demoAction);
    file->addAction(byName("cancelJob"));
    file->addSeparator();
    file->addAction(byName("quit"));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(byName("nextView"));
    view->addAction(byName("previousView"));
    view->addSeparator();
    view->addAction(byName("darkTheme"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(byName("shortcuts"));
    help->addAction(byName("about"));
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = recent::projects();
    for (const QString &path : paths) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] { openProject(path); });
    }
    if (paths.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear List"), this, [] { recent::clear(); });
}

void MainWindow::updateActions()
{
    const bool idle = !m_jobs->isRunning();
    m_importAction->setEnabled(m_context->database() && idle);
    m_demoAction->setEnabled(m_context->database() && idle);
    findChild<QAction *>("cancelJob")->setEnabled(!idle);
}

void MainWindow::newProject()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"), QDir::homePath(), tr(kProjectFilter), nullptr,
                                                QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += ".idgenrec";
    // An existing file is opened, never overwritten: a project may hold days of training.
    const bool existed = QFileInfo::exists(path);
    if (openProject(path, true) && existed)
        statusBar()->showMessage(tr("%1 already existed; it was opened, not replaced").arg(QDir::toNativeSeparators(path)), 10000);
}

void MainWindow::openProjectDialog()
{
    const QStringList recentPaths = recent::projects();
    const QString start = recentPaths.isEmpty() ? QDir::homePath() : QFileInfo(recentPaths.front()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), start, tr(kProjectFilter));
    if (!path.isEmpty())
        openProject(path);
}

} // namespace idgen::ui
