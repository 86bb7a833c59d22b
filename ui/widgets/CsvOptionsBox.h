#pragma once

#include "data/formats/CsvOptions.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace idgen::ui {

// Column mapping of the generic delimited-file ("csv") importer; the import dialog shows it
// only when csv is chosen for the interactions or the items file.
class CsvOptionsBox : public QGroupBox {
    Q_OBJECT
public:
    explicit CsvOptionsBox(QWidget *parent = nullptr);
    CsvOptions options() const;

private:
    QComboBox *m_delimiter;
    QCheckBox *m_header;
    QLineEdit *m_user;
    QLineEdit *m_item;
    QLineEdit *m_time;
    QLineEdit *m_timeFormat;
    QLineEdit *m_itemId;
};

} // namespace idgen::ui
