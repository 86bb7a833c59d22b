#pragma once

#include "jobs/JobEvents.h"
#include "plot/PlotWidget.h"

#include <QColor>
#include <QString>

#include <climits>
#include <utility>
#include <vector>

namespace idgen::ui {

// What a run curve is drawn against. Epochs and steps continue across the rounds of an
// alternate run (round 2's first epoch follows round 1's last), so rounds line up left to right;
// Round draws one point per round, the round's last value.
enum class CurveAxis { Step, Epoch, Round };

// Turns a run's metric points, in training order, into x positions, and notes where each new
// round starts (the round-boundary markers). Incremental, so live points cost O(1).
class CurveX {
public:
    explicit CurveX(CurveAxis axis) : m_axis(axis) {}
    double next(const MetricPoint &point);
    const std::vector<std::pair<double, QString>> &markers() const { return m_markers; }

private:
    CurveAxis m_axis;
    int m_round = INT_MIN;
    double m_offset = 0.0;
    double m_last = 0.0;
    std::vector<std::pair<double, QString>> m_markers;
};

struct RunCurve {
    PlotSeries series;
    std::vector<std::pair<double, QString>> markers;
};

// One run's curve of `points` (one metric and split, training order: core's curvePoints).
RunCurve runCurve(const std::vector<MetricPoint> &points, CurveAxis axis, const QString &key, const QString &label,
                  const QColor &colour);

} // namespace idgen::ui
