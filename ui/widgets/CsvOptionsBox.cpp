#include "widgets/CsvOptionsBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>

namespace idgen::ui {
namespace {

QString orDefault(const QLineEdit *edit, const std::string &fallback)
{
    const QString text = edit->text().trimmed();
    return text.isEmpty() ? QString::fromStdString(fallback) : text;
}

} // namespace

CsvOptionsBox::CsvOptionsBox(QWidget *parent)
    : QGroupBox(tr("Delimited file columns"), parent)
    , m_delimiter(new QComboBox(this))
    , m_header(new QCheckBox(tr("First line is a header"), this))
    , m_user(new QLineEdit(this))
    , m_item(new QLineEdit(this))
    , m_time(new QLineEdit(this))
    , m_timeFormat(new QLineEdit(this))
    , m_itemId(new QLineEdit(this))
{
    setObjectName("csvOptions");
    const CsvOptions defaults;
    m_delimiter->addItem(tr("detect"), QChar());
    m_delimiter->addItem(tr("tab"), QChar('\t'));
    m_delimiter->addItem(tr("comma"), QChar(','));
    m_delimiter->addItem(tr("semicolon"), QChar(';'));
    m_delimiter->addItem(tr("bar (|)"), QChar('|'));
    m_header->setChecked(defaults.header);
    m_user->setPlaceholderText(QString::fromStdString(defaults.userColumn));
    m_item->setPlaceholderText(QString::fromStdString(defaults.itemColumn));
    m_time->setPlaceholderText(tr("none: file order"));
    m_timeFormat->setPlaceholderText(tr("epoch seconds, or a strptime format like %Y-%m-%d"));
    m_itemId->setPlaceholderText(QString::fromStdString(defaults.itemIdColumn));
    const QString columnHint = tr("A header name, or a 0-based column number");
    for (QLineEdit *edit : {m_user, m_item, m_time, m_itemId})
        edit->setToolTip(columnHint);

    auto *layout = new QFormLayout(this);
    layout->addRow(tr("Delimiter:"), m_delimiter);
    layout->addRow(QString(), m_header);
    layout->addRow(tr("User column:"), m_user);
    layout->addRow(tr("Item column:"), m_item);
    layout->addRow(tr("Time column:"), m_time);
    layout->addRow(tr("Time format:"), m_timeFormat);
    layout->addRow(tr("Items file id column:"), m_itemId);
}

CsvOptions CsvOptionsBox::options() const
{
    CsvOptions options;
    const QChar delimiter = m_delimiter->currentData().toChar();
    options.delimiter = delimiter.isNull() ? 0 : static_cast<char>(delimiter.toLatin1());
    options.header = m_header->isChecked();
    options.userColumn = orDefault(m_user, options.userColumn).toStdString();
    options.itemColumn = orDefault(m_item, options.itemColumn).toStdString();
    options.timeColumn = m_time->text().trimmed().toStdString();
    options.timeFormat = m_timeFormat->text().trimmed().toStdString();
    options.itemIdColumn = orDefault(m_itemId, options.itemIdColumn).toStdString();
    return options;
}

} // namespace idgen::ui
