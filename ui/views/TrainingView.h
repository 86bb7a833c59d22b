#pragma once

#include "plot/RunCurves.h"
#include "views/ContextView.h"

#include <QElapsedTimer>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace idgen::ui {

class ConfigEditor;
class PlotWidget;

// "Training": pick or edit a config (the TOML files the CLI runs), start a run on the current
// dataset, pause, stop (checkpoint first) and resume it; the step loss and the per-epoch
// validation HR@10 / NDCG@10 are drawn as they arrive, with progress and an ETA. The run
// trains on the window's JobRunner (a worker thread), so the window never waits for it.
// Without a live run the view shows the current run's stored curves.
class TrainingView : public ContextView {
    Q_OBJECT
public:
    TrainingView(ProjectContext &context, JobRunner &jobs, QWidget *parent = nullptr);

    ConfigEditor *configEditor() const { return m_config; }
    PlotWidget *lossPlot() const { return m_lossPlot; }
    PlotWidget *validationPlot() const { return m_validPlot; }
    // The run this view is training now (known from its first metric point), if any.
    std::optional<std::int64_t> liveRun() const { return m_liveRun; }
    bool isTraining() const { return m_training; }
    bool isPaused() const { return m_pause->load(); }

public Q_SLOTS:
    // Each reports why it cannot act (no dataset, another job running, invalid config).
    void start();
    void togglePause();
    void stop();
    void resume();

protected:
    void contextChanged(ContextChanges what) override;

private:
    void startJob(const QString &title, std::function<void(JobEvents &, StopToken, const std::atomic<bool> *)> work);
    void fillSnapshots();
    void showStoredRun();
    void resetLiveCurves(const QString &title);
    void onMetric(const MetricPoint &point);
    void onProgress(double fraction, const QString &stage);
    void onJobEnded();
    void updateButtons();

    ConfigEditor *m_config;
    QComboBox *m_snapshotBox;
    QComboBox *m_deviceBox;
    QPushButton *m_startButton;
    QPushButton *m_pauseButton;
    QPushButton *m_stopButton;
    QPushButton *m_resumeButton;
    QProgressBar *m_progress;
    QLabel *m_eta;
    QLabel *m_runLabel;
    PlotWidget *m_lossPlot;
    PlotWidget *m_validPlot;
    QPlainTextEdit *m_log;

    // Shared with the job, which may outlive a closing view by the time it takes to stop.
    std::shared_ptr<std::atomic<bool>> m_pause = std::make_shared<std::atomic<bool>>(false);
    bool m_training = false; // the running job is this view's
    std::optional<std::int64_t> m_liveRun;
    std::map<std::string, CurveX> m_liveX; // per series, the x of the next live point
    QElapsedTimer m_clock;
    qint64 m_pausedMs = 0;
    QElapsedTimer m_pausedSince;
};

} // namespace idgen::ui
