#pragma once

#include "views/DatasetPage.h"

class QTextBrowser;

namespace idgen::ui {

class LengthHistogram;

// The "Summary" tab: counts, import report, identity, and the sequence-length histogram.
class SummaryView : public DatasetPage {
    Q_OBJECT
public:
    explicit SummaryView(QWidget *parent = nullptr);
    void showDataset(const std::shared_ptr<const Database> &db, const std::optional<DatasetInfo> &info) override;
    QString text() const;

private:
    QTextBrowser *m_text;
    LengthHistogram *m_histogram;
};

} // namespace idgen::ui
