#pragma once

#include "store/DatasetRepository.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace idgen::ui {

// Text / regex / count-range filter over a dataset table. Edits are debounced so typing does not
// run a query per key; an invalid regular expression is reported inline and never applied.
class SearchBar : public QWidget {
    Q_OBJECT
public:
    // countName labels the range ("interactions", "length").
    explicit SearchBar(const QString &countName, QWidget *parent = nullptr);

    // The filter currently applied (the last valid one).
    RowFilter filter() const { return m_applied; }
    void setDebounceInterval(int milliseconds);
    void setMatchCount(qint64 matching, qint64 total);
    // Shown in place of the count while a query runs.
    void setSearching();
    // Inline error (invalid regex, a failed query); cleared by the next valid filter.
    void showError(const QString &message);
    QString errorText() const;

    QLineEdit *textEdit() const { return m_text; }
    QCheckBox *regexToggle() const { return m_regex; }
    QSpinBox *minCount() const { return m_min; }
    QSpinBox *maxCount() const { return m_max; }

public Q_SLOTS:
    // Validates and applies the fields now, skipping the debounce delay.
    void applyNow();

Q_SIGNALS:
    void filterChanged();

private:
    void scheduleApply();
    void clearError();

    QLineEdit *m_text;
    QCheckBox *m_regex;
    QSpinBox *m_min;
    QSpinBox *m_max;
    QLabel *m_matches;
    QLabel *m_error;
    QTimer *m_debounce;
    RowFilter m_applied;
};

} // namespace idgen::ui
