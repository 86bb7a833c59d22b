#include "widgets/ImportDialog.h"

#include "widgets/CsvOptionsBox.h"
#include "models/DatasetSummary.h"
#include "widgets/ErrorBanner.h"
#include "widgets/FileField.h"
#include "JobRunner.h"

#include "data/formats/Format.h"
#include "store/Database.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace idgen::ui {
namespace {

constexpr int kProgressSteps = 1000;

QString nameFromFile(const QString &path)
{
    QString name = QFileInfo(path).fileName();
    if (name.endsWith(".gz"))
        name.chop(3);
    const auto dot = name.lastIndexOf('.');
    if (dot > 0)
        name.truncate(dot);
    return name;
}

} // namespace

ImportDialog::ImportDialog(std::filesystem::path projectPath, JobRunner *runner, QWidget *parent)
    : QDialog(parent)
    , m_projectPath(std::move(projectPath))
    , m_runner(runner)
    , m_pages(new QStackedWidget(this))
    , m_interactions(new FileField(tr("Interactions file"), tr("user_sequence.txt, *.inter, ratings.dat, … (.gz is fine)"), this))
    , m_items(new FileField(tr("Items file"), tr("optional: item metadata"), this))
    , m_datamaps(new FileField(tr("Datamaps file"), tr("optional: p5_datamaps.json (P5 only)"), this))
    , m_format(new QComboBox(this))
    , m_itemsFormat(new QComboBox(this))
    , m_kcore(new QSpinBox(this))
    , m_name(new QLineEdit(this))
    , m_replace(new QCheckBox(tr("Replace a dataset of the same name"), this))
    , m_csv(new CsvOptionsBox(this))
    , m_error(new ErrorBanner(this))
    , m_stage(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_log(new QPlainTextEdit(this))
    , m_report(new QTextBrowser(this))
    , m_importButton(new QPushButton(tr("Import"), this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("Import Dataset"));
    setObjectName("importDialog");
    m_interactions->setObjectName("interactionsFile");
    m_items->setObjectName("itemsFile");
    m_datamaps->setObjectName("datamapsFile");
    m_name->setObjectName("datasetName");
    m_report->setObjectName("importReport");
    m_importButton->setObjectName("importButton");
    m_importButton->setDefault(true);
    m_progress->setRange(0, kProgressSteps);
    m_progress->hide();
    m_stage->hide();
    m_log->setReadOnly(true);
    m_log->setMaximumHeight(90);
    m_log->setPlaceholderText(tr("Log"));

    m_pages->addWidget(buildForm());
    m_pages->addWidget(m_report);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_importButton, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancelButton, QDialogButtonBox::RejectRole);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_error);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_stage);
    layout->addWidget(m_progress);
    layout->addWidget(m_log);
    layout->addWidget(buttons);
    resize(640, 520);

    // The box's accepted() is deliberately not connected: Import keeps the dialog open.
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_cancelButton, &QPushButton::clicked, this, &ImportDialog::reject);
    connect(m_interactions, &FileField::pathChanged, this, &ImportDialog::suggestName);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameEdited = true; });

    connect(m_runner, &JobRunner::progress, this, [this](double fraction, const QString &stage) {
        if (!m_importing)
            return;
        m_progress->setValue(static_cast<int>(fraction * kProgressSteps));
        m_stage->setText(stage);
    });
    connect(m_runner, &JobRunner::logLine, this, [this](const QString &line) {
        if (m_importing)
            m_log->appendPlainText(line);
    });
    connect(m_runner, &JobRunner::finished, this, &ImportDialog::onFinished);
    connect(m_runner, &JobRunner::failed, this, &ImportDialog::onFailed);
    connect(m_runner, &JobRunner::cancelled, this, &ImportDialog::onCancelled);
}

QWidget *ImportDialog::buildForm()
{
    fillFormatCombo(m_format, false);
    fillFormatCombo(m_itemsFormat, true);
    m_format->setObjectName("format");
    m_itemsFormat->setObjectName("itemsFormat");
    m_kcore->setObjectName("kcore");
    m_kcore->setRange(-1, 1000);
    m_kcore->setValue(-1);
    m_kcore->setSpecialValueText(tr("format default"));
    m_kcore->setToolTip(tr("Keep only users and items with at least k interactions, repeatedly.\n"
                           "0 keeps everything; 'format default' is 5 for raw dumps and 0 for preprocessed files."));

    auto *form = new QWidget(this);
    auto *layout = new QFormLayout(form);
    layout->addRow(tr("&Interactions:"), m_interactions);
    layout->addRow(tr("&Format:"), m_format);
    layout->addRow(tr("I&tems:"), m_items);
    layout->addRow(tr("Items f&ormat:"), m_itemsFormat);
    layout->addRow(tr("&Datamaps:"), m_datamaps);
    layout->addRow(tr("&k-core:"), m_kcore);
    layout->addRow(tr("&Name:"), m_name);
    layout->addRow(QString(), m_replace);
    layout->addRow(m_csv);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ImportDialog::updateCsvBox);
    connect(m_itemsFormat, &QComboBox::currentIndexChanged, this, &ImportDialog::updateCsvBox);
    updateCsvBox();
    return form;
}

void ImportDialog::fillFormatCombo(QComboBox *combo, bool items)
{
    combo->addItem(tr("auto-detect"), QString());
    combo->setItemData(0, items ? tr("Detect the items file's format from its content")
                                : tr("Detect the format from the file's name and first lines"),
                       Qt::ToolTipRole);
    for (const auto &format : allFormats()) {
        if (items && !format->readsItems())
            continue;
        const QString name = QString::fromStdString(format->name());
        combo->addItem(name, name);
        combo->setItemData(combo->count() - 1, QString::fromStdString(format->description()), Qt::ToolTipRole);
    }
}

void ImportDialog::updateCsvBox()
{
    m_csv->setVisible(m_format->currentData().toString() == "csv" || m_itemsFormat->currentData().toString() == "csv");
}

void ImportDialog::suggestName(const QString &interactionsPath)
{
    if (!m_nameEdited)
        m_name->setText(nameFromFile(interactionsPath));
}

ImportOptions ImportDialog::options() const
{
    ImportOptions options;
    options.name = m_name->text().trimmed().toStdString();
    options.sources.interactions = m_interactions->path().toStdString();
    if (!m_items->path().isEmpty())
        options.sources.items = m_items->path().toStdString();
    if (!m_datamaps->path().isEmpty())
        options.sources.datamaps = m_datamaps->path().toStdString();
    options.format = m_format->currentData().toString().toStdString();
    options.itemsFormat = m_itemsFormat->currentData().toString().toStdString();
    if (m_kcore->value() >= 0)
        options.kcore = m_kcore->value();
    options.replace = m_replace->isChecked();
    options.sources.csv = m_csv->options();
    return options;
}

void ImportDialog::startImport()
{
    if (m_importing)
        return;
    const ImportOptions importOptions = options();
    if (importOptions.sources.interactions.empty()) {
        m_error->showError(tr("Nothing to import"), tr("Choose the interactions file."));
        return;
    }
    if (importOptions.name.empty()) {
        m_error->showError(tr("No dataset name"), tr("Give the dataset a name."));
        return;
    }
    if (m_runner->isRunning()) {
        m_error->showError(tr("Another job is running"),
                           tr("'%1' is still running; wait for it or cancel it first.").arg(m_runner->title()));
        return;
    }
    m_error->dismiss();
    m_log->clear();
    m_result = std::make_shared<DatasetInfo>();
    auto result = m_result;
    const std::filesystem::path project = m_projectPath;
    setImporting(true);
    // The worker opens its own connection: SQLite connections are not shared across threads.
    m_runner->start(tr("Importing '%1'").arg(QString::fromStdString(importOptions.name)),
                    [project, importOptions, result](JobEvents &events, StopToken stop) {
                        Database db(project, Database::Mode::OpenExisting);
                        *result = runImport(db, importOptions, events, stop);
                    });
}

void ImportDialog::setImporting(bool importing)
{
    m_importing = importing;
    m_pages->widget(0)->setEnabled(!importing);
    m_importButton->setEnabled(!importing);
    m_progress->setVisible(importing);
    m_stage->setVisible(importing);
    if (importing) {
        m_progress->setValue(0);
        m_stage->setText(tr("starting…"));
    }
}

void ImportDialog::onFinished()
{
    if (!m_importing)
        return;
    setImporting(false);
    m_report->setHtml(summaryHtml(*m_result));
    m_pages->setCurrentWidget(m_report);
    m_importButton->hide();
    m_cancelButton->setText(tr("Close"));
    setWindowTitle(tr("Imported '%1'").arg(QString::fromStdString(m_result->name)));
    Q_EMIT datasetImported(QString::fromStdString(m_result->name));
}

void ImportDialog::onFailed(const QString &message)
{
    if (!m_importing)
        return;
    setImporting(false);
    m_error->showError(tr("Import failed; nothing was added to the project"), message, m_log->toPlainText());
    Q_EMIT importFailed(message);
}

void ImportDialog::onCancelled()
{
    if (!m_importing)
        return;
    setImporting(false);
    m_error->showError(tr("Import cancelled"), tr("Nothing was added to the project."));
}

void ImportDialog::reject()
{
    // Closing while importing means "stop": the dialog stays until the job has rolled back.
    if (m_importing) {
        m_runner->cancel();
        m_stage->setText(tr("cancelling…"));
        return;
    }
    QDialog::reject();
}

void ImportDialog::setInteractionsFile(const QString &path) { m_interactions->setPath(path); }
void ImportDialog::setItemsFile(const QString &path) { m_items->setPath(path); }
void ImportDialog::setDatamapsFile(const QString &path) { m_datamaps->setPath(path); }
void ImportDialog::setKCore(std::optional<int> kcore) { m_kcore->setValue(kcore.value_or(-1)); }
QString ImportDialog::datasetName() const { return m_name->text(); }
QString ImportDialog::errorText() const { return m_error->isShowing() ? m_error->message() : QString(); }
QString ImportDialog::reportText() const { return m_report->toPlainText(); }

void ImportDialog::setDatasetName(const QString &name)
{
    m_name->setText(name);
    m_nameEdited = true;
}

void ImportDialog::setFormat(const QString &name)
{
    m_format->setCurrentIndex(std::max(0, m_format->findData(name)));
}

void ImportDialog::setItemsFormat(const QString &name)
{
    m_itemsFormat->setCurrentIndex(std::max(0, m_itemsFormat->findData(name)));
}

} // namespace idgen::ui
