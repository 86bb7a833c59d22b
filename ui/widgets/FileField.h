#pragma once

#include <QWidget>

class QLineEdit;

namespace idgen::ui {

// A path line edit with a "Browse…" button that opens a file dialog.
class FileField : public QWidget {
    Q_OBJECT
public:
    FileField(const QString &dialogTitle, const QString &placeholder, QWidget *parent = nullptr);

    QString path() const;
    void setPath(const QString &path);
    QLineEdit *lineEdit() const { return m_edit; }

Q_SIGNALS:
    void pathChanged(const QString &path);

private:
    void browse();

    QString m_dialogTitle;
    QLineEdit *m_edit;
};

} // namespace idgen::ui
