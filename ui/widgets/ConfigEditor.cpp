#include "widgets/ConfigEditor.h"

#include "Style.h"

#include "train/AlternateConfig.h"
#include "train/BuiltinConfigs.h"
#include "train/RecommenderConfig.h"
#include "util/ConfigFile.h"
#include "util/Error.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace idgen::ui {
namespace {

constexpr int kCheckDelayMs = 400;

// Parses a config the way `idgenrec train` does; returns a one-line description or throws.
QString describe(const std::string &text, const std::string &name, const std::string &origin)
{
    if (AlternateConfig::isAlternate(text, origin)) {
        const AlternateConfig c = AlternateConfig::parse(text, name, origin);
        return QObject::tr("alternate config: %1 rounds, model %2").arg(c.rounds).arg(QString::fromStdString(c.recommender.model));
    }
    const RecommenderConfig c = RecommenderConfig::parse(text, name, origin);
    return QObject::tr("recommender config: %1 epochs, batch %2, model %3").arg(c.epochs).arg(c.batch).arg(QString::fromStdString(c.model));
}

QToolButton *button(const QString &text, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    return b;
}

} // namespace

ConfigEditor::ConfigEditor(QWidget *parent)
    : QWidget(parent)
    , m_source(new QComboBox(this))
    , m_openButton(button(tr("Open…"), tr("Open a TOML config file"), this))
    , m_saveButton(button(tr("Save"), tr("Check the config and save it to its file"), this))
    , m_saveAsButton(button(tr("Save As…"), tr("Check the config and save it to a new file"), this))
    , m_editor(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_checkDelay(new QTimer(this))
{
    m_source->setObjectName("configSource");
    m_editor->setObjectName("configText");
    m_status->setObjectName("configStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    fillSources();

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Config"), this));
    bar->addWidget(m_source, 1);
    bar->addWidget(m_openButton);
    bar->addWidget(m_saveButton);
    bar->addWidget(m_saveAsButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_status);

    m_checkDelay->setSingleShot(true);
    m_checkDelay->setInterval(kCheckDelayMs);
    connect(m_checkDelay, &QTimer::timeout, this, &ConfigEditor::validate);
    connect(m_editor, &QPlainTextEdit::textChanged, m_checkDelay, qOverload<>(&QTimer::start));
    connect(m_source, &QComboBox::activated, this, &ConfigEditor::onSourceChosen);
    connect(m_openButton, &QToolButton::clicked, this, [this] {
        QSettings settings;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Config"), settings.value("training/configFolder", QDir::homePath()).toString(),
                                                          tr("TOML configs (*.toml);;All files (*)"));
        if (!path.isEmpty() && loadFile(path))
            settings.setValue("training/configFolder", QFileInfo(path).absolutePath());
    });
    connect(m_saveButton, &QToolButton::clicked, this, &ConfigEditor::save);
    connect(m_saveAsButton, &QToolButton::clicked, this, &ConfigEditor::saveAs);
    loadBuiltin(QStringLiteral("demo"));
}

void ConfigEditor::fillSources()
{
    // Only the configs a training run takes (the SASRec baseline's is run by `idgenrec baseline`).
    for (const BuiltinConfig &config : builtinConfigs()) {
        try {
            describe(config.text, config.name, config.name);
            m_source->addItem(tr("%1 (built-in)").arg(QString::fromLatin1(config.name)), QString::fromLatin1(config.name));
        } catch (const std::exception &) {
        }
    }
}

bool ConfigEditor::loadBuiltin(const QString &name)
{
    for (const BuiltinConfig &config : builtinConfigs()) {
        if (name == QString::fromLatin1(config.name)) {
            m_name = name;
            m_file.clear();
            m_original = QString::fromUtf8(config.text);
            m_editor->setPlainText(m_original);
            m_source->setCurrentIndex(m_source->findData(name));
            validate();
            return true;
        }
    }
    return false;
}

bool ConfigEditor::loadFile(const QString &path)
{
    try {
        const std::string text = readConfigText(std::filesystem::path(path.toStdString()));
        m_name = QFileInfo(path).completeBaseName();
        m_file = QFileInfo(path).absoluteFilePath();
        m_original = QString::fromStdString(text);
        m_editor->setPlainText(m_original);
        if (m_source->findData(m_file) < 0)
            m_source->addItem(QDir::toNativeSeparators(m_file), m_file);
        m_source->setCurrentIndex(m_source->findData(m_file));
        validate();
        return true;
    } catch (const std::exception &error) {
        showValidation(QString::fromUtf8(error.what()), 0);
        return false;
    }
}

void ConfigEditor::onSourceChosen(int index)
{
    const QString source = m_source->itemData(index).toString();
    if (QFileInfo(source).isAbsolute())
        loadFile(source);
    else
        loadBuiltin(source);
}

void ConfigEditor::setText(const QString &text)
{
    m_editor->setPlainText(text);
    validate();
}

QString ConfigEditor::text() const
{
    return m_editor->toPlainText();
}

bool ConfigEditor::isModified() const
{
    return text() != m_original;
}

QString ConfigEditor::validate()
{
    m_checkDelay->stop();
    const std::string origin = m_file.isEmpty() ? "built-in config '" + m_name.toStdString() + "'" : m_file.toStdString();
    try {
        const QString description = describe(text().toStdString(), m_name.toStdString(), origin);
        showValidation({}, 0);
        m_status->setText(tr("✓ %1%2").arg(description, isModified() ? tr(" — edited") : QString()));
        return {};
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        showValidation(message, error.line());
        return message;
    } catch (const std::exception &error) {
        const QString message = QString::fromUtf8(error.what());
        showValidation(message, 0);
        return message;
    }
}

void ConfigEditor::showValidation(const QString &error, std::uint64_t line)
{
    QList<QTextEdit::ExtraSelection> marks;
    if (line > 0) {
        QTextEdit::ExtraSelection mark;
        mark.format.setBackground(style::errorBackground(palette()));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.cursor = QTextCursor(m_editor->document()->findBlockByNumber(static_cast<int>(line) - 1));
        marks << mark;
    }
    m_editor->setExtraSelections(marks);
    QPalette pal = m_status->palette();
    pal.setColor(QPalette::WindowText, error.isEmpty() ? palette().color(QPalette::WindowText) : style::errorText(palette()));
    m_status->setPalette(pal);
    if (!error.isEmpty())
        m_status->setText(error);
    Q_EMIT validityChanged(error.isEmpty());
}

QString ConfigEditor::configForRun()
{
    if (!validate().isEmpty())
        return {};
    if (!isModified())
        return m_file.isEmpty() ? m_name : m_file;
    // Edited and unsaved: the run gets the text (it stores it) through a scratch file named
    // after the config, so the run's name still says where it came from.
    if (m_scratchFolder.isEmpty()) {
        m_scratchFolder = QDir(QStandardPaths::writableLocation(QStandardPaths::TempLocation))
                              .filePath(QStringLiteral("idgenrec-configs-%1").arg(QCoreApplication::applicationPid()));
        QDir().mkpath(m_scratchFolder);
    }
    const QString path = QDir(m_scratchFolder).filePath(m_name + "-edited.toml");
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(text().toUtf8()) < 0 || !out.commit()) {
        showValidation(tr("could not write the edited config to %1: %2").arg(QDir::toNativeSeparators(path), out.errorString()), 0);
        return {};
    }
    return path;
}

bool ConfigEditor::save()
{
    return m_file.isEmpty() ? saveAs() : saveTo(m_file);
}

bool ConfigEditor::saveAs()
{
    if (!validate().isEmpty())
        return false;
    QSettings settings;
    const QString folder = settings.value("training/configFolder", QDir::homePath()).toString();
    QString path = QFileDialog::getSaveFileName(this, tr("Save Config"), QDir(folder).filePath(m_name + ".toml"), tr("TOML configs (*.toml)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += ".toml";
    settings.setValue("training/configFolder", QFileInfo(path).absolutePath());
    return saveTo(path);
}

bool ConfigEditor::saveTo(const QString &path)
{
    if (!validate().isEmpty())
        return false; // an invalid config is never written
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(text().toUtf8()) < 0 || !out.commit()) {
        showValidation(tr("could not save %1: %2").arg(QDir::toNativeSeparators(path), out.errorString()), 0);
        return false;
    }
    const QString saved = text();
    loadFile(path);
    m_status->setText(m_status->text() + tr(" — saved to %1").arg(QDir::toNativeSeparators(path)));
    return saved == m_original;
}

} // namespace idgen::ui
