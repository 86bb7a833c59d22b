#pragma once

#include "views/ContextView.h"

#include <set>
#include <vector>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace idgen::ui {

class PlotWidget;
class RunTableModel;
struct PlotSeries;

// "Curves & Runs": the runs table of the current dataset (trained runs, alternate runs,
// baselines and stand-alone evaluations side by side, config and metric columns, sortable,
// CSV export) and, for the selected runs overlaid in their run colours, a validation metric per
// epoch or per round and the loss per step. Runs trained from the CLI show up after Refresh
// (F5); runs trained in this window update while they train.
class CurvesView : public ContextView {
    Q_OBJECT
public:
    CurvesView(ProjectContext &context, JobRunner &jobs, QWidget *parent = nullptr);

    // Selects all runs (up to a handful, newest first) unless the request names one.
    void prepareScreenshot(const ScreenshotRequest &request) override;

    QTableView *table() const { return m_table; }
    RunTableModel *runs() const { return m_model; }
    PlotWidget *metricPlot() const { return m_metricPlot; }
    PlotWidget *lossPlot() const { return m_lossPlot; }
    QComboBox *metricBox() const { return m_metricBox; }
    QComboBox *axisBox() const { return m_axisBox; }
    // The runs whose curves are drawn (the table's selection).
    std::set<std::int64_t> plottedRuns() const;
    void selectRuns(const std::set<std::int64_t> &runs);

public Q_SLOTS:
    void reload();

protected:
    void contextChanged(ContextChanges what) override;

private:
    void redrawCurves();
    void showBaselinesAsLevels(std::vector<PlotSeries> &series) const;
    void onSelectionChanged();

    RunTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLabel *m_summary;
    QComboBox *m_metricBox;
    QComboBox *m_axisBox;
    QComboBox *m_lossBox;
    PlotWidget *m_metricPlot;
    PlotWidget *m_lossPlot;
    QTimer *m_liveReload; // coalesces reloads while a run in this window trains
    bool m_selecting = false;
};

} // namespace idgen::ui
