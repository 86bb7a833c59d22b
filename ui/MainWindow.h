#pragma once

#include "store/DatasetRepository.h"

#include <QMainWindow>

#include <memory>
#include <optional>
#include <vector>

class QAction;
class QListWidget;
class QMenu;
class QTabWidget;

namespace idgen {
class Database;
}

namespace idgen::ui {

class ContextView;
class ErrorBanner;
class ImportDialog;
class JobRunner;
class JobStatusWidget;
class ProjectContext;

// The workbench window: the project's datasets in a side panel, one tab per registered view
// (ViewRegistry.h), a status bar that shows the running job. The window owns the ProjectContext
// the views observe and sets its project and dataset; views plug in through the registry
// without growing this class. Long work runs on the shared JobRunner; the context holds the
// GUI thread's own read connection.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens (or with `create`, creates) a project file; on failure shows the error and keeps the
    // current project. Returns whether the project is now open.
    bool openProject(const QString &path, bool create = false);
    QString projectPath() const;
    // Creates the built-in demo dataset in the open project on the job runner, unless present.
    void ensureDemoDataset();

    // Makes the view of that name or title current (case-insensitive), or the view that has a
    // page of that name ("items"); false when there is none.
    bool showView(const QString &name);
    // The view registered under `name` (ViewRegistry.h); null when there is none.
    ContextView *view(const QString &name) const;
    ContextView *currentView() const;
    QString currentViewName() const;
    QStringList datasetNames() const;
    QString currentDatasetName() const;
    bool selectDataset(const QString &name);

    JobRunner *jobRunner() const { return m_jobs; }
    ProjectContext *context() const { return m_context; }
    ErrorBanner *errorBanner() const { return m_error; }
    QTabWidget *tabs() const { return m_tabs; }
    QListWidget *datasetList() const { return m_datasetList; }
    // Opens the import dialog (non-blocking) and returns it; null without a project.
    ImportDialog *showImportDialog();

public Q_SLOTS:
    void newProject();
    void openProjectDialog();
    void createDemoDataset();
    void refreshDatasets(const QString &select = {});
    void showError(const QString &summary, const QString &message, const QString &details = {});

Q_SIGNALS:
    void projectOpened(const QString &path);
    // After every view shows the dataset (empty name: no dataset).
    void datasetShown(const QString &name);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void fillRecentMenu();
    void updateActions();
    void onDatasetSelected();
    void selectListRow(const std::optional<DatasetInfo> &dataset);

    std::vector<DatasetInfo> m_datasets;
    std::vector<ContextView *> m_views; // in tab order, as registered
    ProjectContext *m_context;
    JobRunner *m_jobs;
    JobStatusWidget *m_jobStatus;
    ErrorBanner *m_error;
    QTabWidget *m_tabs;
    QListWidget *m_datasetList;
    QMenu *m_recentMenu = nullptr;
    QString m_selectAfterJob; // dataset to select when the running job ends
    QAction *m_importAction = nullptr;
    QAction *m_demoAction = nullptr;
};

} // namespace idgen::ui
