#pragma once

#include "views/ContextView.h"

#include <vector>

class QTabWidget;

namespace idgen::ui {

class DatasetPage;
class RowBrowser;

// The "Datasets" view: the current dataset's Summary, Items and Users pages. Pages are plain
// DatasetPage widgets; this view hands them the context's dataset.
class DatasetsView : public ContextView {
    Q_OBJECT
public:
    DatasetsView(ProjectContext &context, JobRunner &jobs, QWidget *parent = nullptr);

    // "summary", "items" or "users".
    bool showPage(const QString &name) override;
    bool isBusy() const override;
    QTabWidget *pages() const { return m_pages; }

protected:
    void contextChanged(ContextChanges what) override;

private:
    void addPage(DatasetPage *page, const QString &name, const QString &title);

    QTabWidget *m_pages;
    std::vector<DatasetPage *> m_pageList;
    std::vector<RowBrowser *> m_browsers;
};

} // namespace idgen::ui
