#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace idgen::ui {

// A training config as the CLI runs it: a built-in config or a TOML file, shown as text and
// editable. The text is checked with the core's own parser as it changes (the first error
// names its line, which is highlighted) and before every save; an invalid config is never saved.
class ConfigEditor : public QWidget {
    Q_OBJECT
public:
    explicit ConfigEditor(QWidget *parent = nullptr);

    // A built-in config by name; false when there is none.
    bool loadBuiltin(const QString &name);
    // A TOML file; false (and the error shown) when it cannot be read.
    bool loadFile(const QString &path);
    void setText(const QString &text);
    QString text() const;
    // The config's name: the built-in's, or the file's stem.
    QString configName() const { return m_name; }
    // Where the text came from: a built-in name, or a file path (empty for a built-in).
    QString filePath() const { return m_file; }
    bool isModified() const;

    // Checks the text now; returns the error ("line 12: ...") or an empty string.
    QString validate();
    // What a run should be started with: the built-in name or the saved file when the text is
    // theirs, else the text written to a scratch file (returned path) that lives as long as
    // this editor. Empty (and the error shown) when the text is invalid.
    QString configForRun();
    bool save();   // to filePath(), or asks for one; validates first
    bool saveAs(); // asks for a path; validates first
    bool saveTo(const QString &path);

    QPlainTextEdit *editor() const { return m_editor; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    void validityChanged(bool valid);

private:
    void onSourceChosen(int index);
    void showValidation(const QString &error, std::uint64_t line);
    void fillSources();

    QComboBox *m_source;
    QToolButton *m_openButton;
    QToolButton *m_saveButton;
    QToolButton *m_saveAsButton;
    QPlainTextEdit *m_editor;
    QLabel *m_status;
    QTimer *m_checkDelay;
    QString m_name;
    QString m_file;
    QString m_original; // the text as loaded or saved
    QString m_scratchFolder;
};

} // namespace idgen::ui
