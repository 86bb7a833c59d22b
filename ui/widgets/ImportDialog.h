#pragma once

#include "jobs/ImportJob.h"

#include <QDialog>

#include <filesystem>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QCheckBox;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTextBrowser;

namespace idgen::ui {

class CsvOptionsBox;
class ErrorBanner;
class FileField;
class JobRunner;

// "Import Dataset": pick files and options, run runImport on the shared JobRunner with progress,
// then show the import report. A failed import shows its error (file, line, field) and adds
// nothing: the job writes the dataset in one transaction.
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    ImportDialog(std::filesystem::path projectPath, JobRunner *runner, QWidget *parent = nullptr);

    // The options the fields describe (throws nothing; validation happens on Import).
    ImportOptions options() const;

    // Field access for the main window and tests.
    void setInteractionsFile(const QString &path);
    void setItemsFile(const QString &path);
    void setDatamapsFile(const QString &path);
    void setFormat(const QString &name);      // "" = auto-detect
    void setItemsFormat(const QString &name); // "" = auto-detect
    void setKCore(std::optional<int> kcore);  // empty = the format's default
    void setDatasetName(const QString &name);
    QString datasetName() const;
    QPushButton *importButton() const { return m_importButton; }
    QString errorText() const;
    QString reportText() const;
    bool isImporting() const { return m_importing; }

public Q_SLOTS:
    void startImport();
    void reject() override;

Q_SIGNALS:
    void datasetImported(const QString &name);
    void importFailed(const QString &message);

private:
    QWidget *buildForm();
    void fillFormatCombo(QComboBox *combo, bool items);
    void suggestName(const QString &interactionsPath);
    void updateCsvBox();
    void setImporting(bool importing);
    void onFinished();
    void onFailed(const QString &message);
    void onCancelled();

    std::filesystem::path m_projectPath;
    JobRunner *m_runner;
    bool m_importing = false;
    bool m_nameEdited = false;
    std::shared_ptr<DatasetInfo> m_result;

    QStackedWidget *m_pages;
    FileField *m_interactions;
    FileField *m_items;
    FileField *m_datamaps;
    QComboBox *m_format;
    QComboBox *m_itemsFormat;
    QSpinBox *m_kcore;
    QLineEdit *m_name;
    QCheckBox *m_replace;
    CsvOptionsBox *m_csv;
    ErrorBanner *m_error;
    QLabel *m_stage;
    QProgressBar *m_progress;
    QPlainTextEdit *m_log;
    QTextBrowser *m_report;
    QPushButton *m_importButton;
    QPushButton *m_cancelButton;
};

} // namespace idgen::ui
