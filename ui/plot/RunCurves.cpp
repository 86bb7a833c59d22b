#include "plot/RunCurves.h"

#include <QObject>

namespace idgen::ui {

double CurveX::next(const MetricPoint &point)
{
    const bool newRound = point.round != m_round;
    const bool first = m_round == INT_MIN;
    double x = 0.0;
    switch (m_axis) {
    case CurveAxis::Round: x = point.round; break;
    case CurveAxis::Epoch:
        if (newRound)
            m_offset = m_last;
        x = m_offset + point.epoch + 1;
        break;
    case CurveAxis::Step:
        // A round whose trainer counts steps from zero again continues after the last one.
        if (newRound && !first && static_cast<double>(point.step) + m_offset <= m_last)
            m_offset = m_last;
        x = static_cast<double>(point.step) + m_offset;
        break;
    }
    if (newRound && !first && m_axis != CurveAxis::Round)
        m_markers.emplace_back(m_axis == CurveAxis::Epoch ? x - 0.5 : x, QObject::tr("round %1").arg(point.round));
    m_round = point.round;
    m_last = x;
    return x;
}

RunCurve runCurve(const std::vector<MetricPoint> &points, CurveAxis axis, const QString &key, const QString &label,
                  const QColor &colour)
{
    RunCurve curve;
    curve.series.key = key;
    curve.series.label = label;
    curve.series.colour = colour;
    curve.series.style = axis == CurveAxis::Step ? PlotSeries::Style::Line : PlotSeries::Style::LinePoints;
    CurveX mapper(axis);
    for (const MetricPoint &point : points) {
        const double x = mapper.next(point);
        if (!curve.series.x.empty() && curve.series.x.back() == x) {
            curve.series.y.back() = point.value; // the round's (or a repeated epoch's) last value
            continue;
        }
        curve.series.x.push_back(x);
        curve.series.y.push_back(point.value);
    }
    curve.markers = mapper.markers();
    return curve;
}

} // namespace idgen::ui
