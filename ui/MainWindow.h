#pragma once

#include "store/DatasetRepository.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QAction;
class QListWidget;
class QMenu;
class QTabWidget;

namespace idgen {
class Database;
}

namespace idgen::ui {

class DatasetView;
class ErrorBanner;
class ImportDialog;
class JobRunner;
class JobStatusWidget;

// The workbench window: the project's datasets in a side panel, one tab per view of the selected
// dataset, a status bar that shows the running job. Views are added with addDatasetView(), so
// training, ID-evolution, beam-inspector and curves tabs plug in without growing this class.
// Long work runs on the shared JobRunner; this window keeps its own read connection.
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

    void addDatasetView(DatasetView *view, const QString &title);
    // Makes the tab titled `title` current (case-insensitive); false when there is none.
    bool showView(const QString &title);
    QStringList datasetNames() const;
    QString currentDatasetName() const;
    bool selectDataset(const QString &name);

    JobRunner *jobRunner() const { return m_jobs; }
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

    std::shared_ptr<const Database> m_db;
    std::vector<DatasetInfo> m_datasets;
    std::vector<DatasetView *> m_views;
    JobRunner *m_jobs;
    JobStatusWidget *m_jobStatus;
    ErrorBanner *m_error;
    QTabWidget *m_tabs;
    QListWidget *m_datasetList;
    QMenu *m_recentMenu = nullptr;
    QList<QAction *> m_shortcutActions;
    QString m_selectAfterJob; // dataset to select when the running job ends
    QAction *m_importAction = nullptr;
    QAction *m_demoAction = nullptr;
};

} // namespace idgen::ui
