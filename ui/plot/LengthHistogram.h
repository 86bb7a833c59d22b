#pragma once

#include <QWidget>

#include <vector>

namespace idgen::ui {

// A small bar chart of how many users have each sequence length, painted with palette colours.
class LengthHistogram : public QWidget {
    Q_OBJECT
public:
    explicit LengthHistogram(QWidget *parent = nullptr);

    // counts[i]: users with sequence length i (index 0 unused by real data).
    void setCounts(std::vector<qint64> counts);
    QSize sizeHint() const override { return {360, 220}; }
    QSize minimumSizeHint() const override { return {200, 140}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    struct Bin {
        int from = 0;
        int to = 0;
        qint64 users = 0;
    };
    std::vector<Bin> m_bins;
    qint64 m_maxUsers = 0;
};

} // namespace idgen::ui
