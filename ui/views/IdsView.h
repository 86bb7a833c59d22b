#pragma once

#include "views/ContextView.h"

class QComboBox;
class QTabWidget;

namespace idgen::ui {

class BackgroundReader;
class IdBrowserPage;
class IdComparePage;
class IdRoundsPage;

// "IDs": the item IDs of the current dataset's snapshots. Browse one snapshot (item text beside
// its ID, tokens, length; search by text or ID), compare two (changed items with their changed
// words, collisions, fallbacks, length histograms, the trie per depth), and follow a run's rounds
// (every item's ID in every round in a row). Everything is read on a background reader.
class IdsView : public ContextView {
    Q_OBJECT
public:
    IdsView(ProjectContext &context, JobRunner &jobs, QWidget *parent = nullptr);
    ~IdsView() override;

    // "browse", "compare" or "rounds".
    bool showPage(const QString &name) override;
    // The current or newest snapshot; the comparison page when there are two or more snapshots,
    // the rounds page when the current run has rounds.
    void prepareScreenshot(const ScreenshotRequest &request) override;
    bool isBusy() const override;

    IdBrowserPage *browser() const { return m_browser; }
    IdComparePage *comparison() const { return m_compare; }
    IdRoundsPage *rounds() const { return m_rounds; }
    QComboBox *snapshotBox() const { return m_snapshotBox; }

protected:
    void contextChanged(ContextChanges what) override;

private:
    void reloadLists();
    void showCurrentSnapshot();
    void onLoadingChanged();

    BackgroundReader *m_reader;
    QComboBox *m_snapshotBox;
    QTabWidget *m_pages;
    IdBrowserPage *m_browser;
    IdComparePage *m_compare;
    IdRoundsPage *m_rounds;
    std::size_t m_snapshotCount = 0;
    bool m_filling = false;
    bool m_wasBusy = false;
};

} // namespace idgen::ui
