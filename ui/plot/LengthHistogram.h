#pragma once

#include "plot/PlotWidget.h"

#include <vector>

namespace idgen::ui {

// How many users have each sequence length, as bars on the common plot widget (so it exports,
// reads out and takes a log axis like every plot).
class LengthHistogram : public PlotWidget {
    Q_OBJECT
public:
    explicit LengthHistogram(QWidget *parent = nullptr);

    // counts[i]: users with sequence length i (index 0 unused by real data).
    void setCounts(std::vector<qint64> counts);
    QSize sizeHint() const override { return {380, 260}; }
};

} // namespace idgen::ui
