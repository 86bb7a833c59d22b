#include "widgets/FileField.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace idgen::ui {

FileField::FileField(const QString &dialogTitle, const QString &placeholder, QWidget *parent)
    : QWidget(parent)
    , m_dialogTitle(dialogTitle)
    , m_edit(new QLineEdit(this))
{
    m_edit->setPlaceholderText(placeholder);
    m_edit->setClearButtonEnabled(true);
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, &FileField::browse);
    connect(m_edit, &QLineEdit::textChanged, this, &FileField::pathChanged);
}

QString FileField::path() const
{
    return m_edit->text().trimmed();
}

void FileField::setPath(const QString &path)
{
    m_edit->setText(path);
}

void FileField::browse()
{
    const QString start = path().isEmpty() ? QString() : QFileInfo(path()).absolutePath();
    const QString chosen = QFileDialog::getOpenFileName(this, m_dialogTitle, start);
    if (!chosen.isEmpty())
        setPath(chosen);
}

} // namespace idgen::ui
