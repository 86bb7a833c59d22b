#include "views/TrainingView.h"

#include "JobRunner.h"
#include "plot/PlotWidget.h"
#include "plot/RunColours.h"
#include "widgets/ConfigEditor.h"

#include "ids/IdSnapshotRepository.h"
#include "store/Database.h"
#include "train/RunOverview.h"
#include "train/RunRepository.h"
#include "train/Training.h"

#include <QAction>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace idgen::ui {
namespace {

constexpr int kMaxLogLines = 2000;

QString durationText(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

// The validation series of the training plots: one colour (the run's), two line styles.
struct ValidSeries {
    const char *name;
    const char *label;
    Qt::PenStyle pen;
};
constexpr ValidSeries kValidSeries[] = {{"hr@10", "HR@10", Qt::SolidLine}, {"ndcg@10", "NDCG@10", Qt::DashLine}};

} // namespace

TrainingView::TrainingView(ProjectContext &context, JobRunner &jobs, QWidget *parent)
    : ContextView(context, jobs, parent)
    , m_config(new ConfigEditor(this))
    , m_snapshotBox(new QComboBox(this))
    , m_deviceBox(new QComboBox(this))
    , m_startButton(new QPushButton(tr("Start"), this))
    , m_pauseButton(new QPushButton(tr("Pause"), this))
    , m_stopButton(new QPushButton(tr("Stop"), this))
    , m_resumeButton(new QPushButton(tr("Resume"), this))
    , m_progress(new QProgressBar(this))
    , m_eta(new QLabel(this))
    , m_runLabel(new QLabel(this))
    , m_lossPlot(new PlotWidget(this))
    , m_validPlot(new PlotWidget(this))
    , m_log(new QPlainTextEdit(this))
{
    setObjectName("trainingView");
    m_snapshotBox->setObjectName("trainSnapshot");
    m_snapshotBox->setToolTip(tr("The ID snapshot to train on, or new IDs from the config's [ids] scheme"));
    m_deviceBox->setObjectName("trainDevice");
    m_deviceBox->addItem(tr("the config's device"), QString());
    m_deviceBox->addItem(QStringLiteral("cpu"), QStringLiteral("cpu"));
    m_deviceBox->addItem(QStringLiteral("cuda"), QStringLiteral("cuda"));
    m_startButton->setObjectName("startTraining");
    m_pauseButton->setObjectName("pauseTraining");
    m_stopButton->setObjectName("stopTraining");
    m_resumeButton->setObjectName("resumeTraining");
    m_startButton->setToolTip(tr("Train a new run with this config on the current dataset (Ctrl+R)"));
    m_pauseButton->setToolTip(tr("Hold the run at its next step; press again to continue (Ctrl+Shift+P)"));
    m_stopButton->setToolTip(tr("Write a checkpoint and stop; Resume continues from it (Ctrl+Shift+S)"));
    m_resumeButton->setToolTip(tr("Continue the current run (stopped or interrupted) from its last checkpoint (Ctrl+Shift+R)"));
    // View actions: active while the view has focus, and listed in the shortcut sheet.
    auto shortcut = [this](QPushButton *button, const QString &text, const QKeySequence &key) {
        auto *action = new QAction(text, this);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, button, &QPushButton::click); // a disabled button does nothing
        addAction(action);
    };
    shortcut(m_startButton, tr("Start Training"), QKeySequence(Qt::CTRL | Qt::Key_R));
    shortcut(m_pauseButton, tr("Pause or Continue Training"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    shortcut(m_stopButton, tr("Stop Training (checkpoint)"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    shortcut(m_resumeButton, tr("Resume the Current Run"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_progress->setObjectName("trainProgress");
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_eta->setObjectName("trainEta");
    m_runLabel->setObjectName("trainRun");
    m_runLabel->setWordWrap(true);
    m_log->setObjectName("trainLog");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_lossPlot->setObjectName("trainLossPlot");
    m_lossPlot->setTitle(tr("Loss per step"));
    m_lossPlot->setAxisLabels(tr("step"), tr("loss"));
    m_lossPlot->setSmoothing(Smoothing::Kind::Ema, 0.9);
    m_lossPlot->setEmptyText(tr("no run yet: Start trains one"));
    m_validPlot->setObjectName("trainValidPlot");
    m_validPlot->setTitle(tr("Validation per epoch"));
    m_validPlot->setAxisLabels(tr("epoch"), tr("HR@10 / NDCG@10"));
    m_validPlot->setSmoothing(Smoothing::Kind::None, 0);
    m_validPlot->setXTickStep(1.0);
    m_validPlot->setEmptyText(tr("validation points appear after each epoch"));

    auto *form = new QFormLayout;
    form->addRow(tr("IDs"), m_snapshotBox);
    form->addRow(tr("Device"), m_deviceBox);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_startButton, m_pauseButton, m_stopButton, m_resumeButton})
        buttons->addWidget(b);
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_eta);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_config, 1);
    leftLayout->addLayout(form);
    leftLayout->addLayout(buttons);
    leftLayout->addLayout(progressRow);
    leftLayout->addWidget(m_runLabel);

    auto *plots = new QSplitter(Qt::Vertical, this);
    plots->addWidget(m_lossPlot);
    plots->addWidget(m_validPlot);
    plots->addWidget(m_log);
    plots->setStretchFactor(0, 3);
    plots->setStretchFactor(1, 3);
    plots->setStretchFactor(2, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName("trainingSplitter");
    split->addWidget(left);
    split->addWidget(plots);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_startButton, &QPushButton::clicked, this, &TrainingView::start);
    connect(m_pauseButton, &QPushButton::clicked, this, &TrainingView::togglePause);
    connect(m_stopButton, &QPushButton::clicked, this, &TrainingView::stop);
    connect(m_resumeButton, &QPushButton::clicked, this, &TrainingView::resume);
    connect(m_config, &ConfigEditor::validityChanged, this, &TrainingView::updateButtons);
    connect(&jobs, &JobRunner::metricPoint, this, &TrainingView::onMetric);
    connect(&jobs, &JobRunner::progress, this, &TrainingView::onProgress);
    connect(&jobs, &JobRunner::logLine, this, [this](const QString &line) {
        if (m_training)
            m_log->appendPlainText(line);
    });
    connect(&jobs, &JobRunner::runningChanged, this, [this](bool running) {
        if (!running && m_training)
            onJobEnded();
        updateButtons();
    });
    connect(&jobs, &JobRunner::failed, this, [this](const QString &message) {
        if (m_training)
            m_log->appendPlainText(tr("failed: %1").arg(message)); // the window's banner shows it too
    });
    for (PlotWidget *plot : {m_lossPlot, m_validPlot})
        connect(plot, &PlotWidget::exportFailed, this, [this](const QString &summary, const QString &message) { reportError(summary, message); });
    updateButtons();
}

void TrainingView::contextChanged(ContextChanges what)
{
    if (what & (ContextChange::Project | ContextChange::Dataset | ContextChange::Contents | ContextChange::Snapshot))
        fillSnapshots();
    if (!m_training && (what & (ContextChange::Project | ContextChange::Dataset | ContextChange::Run | ContextChange::Contents)))
        showStoredRun();
    updateButtons();
}

void TrainingView::fillSnapshots()
{
    const QVariant keep = m_snapshotBox->currentData();
    const QSignalBlocker blocker(m_snapshotBox);
    m_snapshotBox->clear();
    m_snapshotBox->addItem(tr("new IDs by the config's [ids] scheme"), QVariant());
    if (!context().database() || !context().dataset())
        return;
    try {
        for (const IdSnapshotInfo &s : IdSnapshotRepository(*context().database()).list(context().dataset()->name)) {
            m_snapshotBox->addItem(tr("snapshot %1: %2 (%3, round %4)")
                                       .arg(s.id)
                                       .arg(QString::fromStdString(s.name), QString::fromStdString(s.scheme))
                                       .arg(s.round),
                                   qlonglong(s.id));
        }
    } catch (const std::exception &error) {
        reportError(tr("Could not list the ID snapshots"), QString::fromUtf8(error.what()));
    }
    const QVariant want = context().snapshot() ? QVariant(qlonglong(*context().snapshot())) : keep;
    const int index = m_snapshotBox->findData(want);
    m_snapshotBox->setCurrentIndex(std::max(0, index));
}

void TrainingView::resetLiveCurves(const QString &title)
{
    m_liveX.clear();
    m_lossPlot->setSeries({});
    m_validPlot->setSeries({});
    m_lossPlot->setMarkers({});
    m_validPlot->setMarkers({});
    m_runLabel->setText(title);
}

// The current run's stored curves, for a run trained earlier or from the CLI.
void TrainingView::showStoredRun()
{
    const auto run = context().run();
    const auto &db = context().database();
    if (!run || !db) {
        resetLiveCurves(context().dataset() ? tr("Dataset %1: choose a config and Start.").arg(QString::fromStdString(context().dataset()->name))
                                            : tr("Open a project and select a dataset to train on."));
        return;
    }
    try {
        const RunRecord record = RunRepository(*db).load(*run);
        resetLiveCurves(tr("Run %1 (%2, %3): %4").arg(*run).arg(QString::fromStdString(record.name), QString::fromStdString(record.kind),
                                                           QString::fromStdString(record.status)));
        const QColor colour = runColour(*run, palette());
        std::vector<MetricPoint> loss;
        for (const MetricPoint &p : curvePoints(*db, *run, "loss"))
            if (p.split == "train")
                loss.push_back(p);
        RunCurve lossCurve = runCurve(loss, CurveAxis::Step, QStringLiteral("loss"), tr("run %1 loss").arg(*run), colour);
        m_lossPlot->setSeries({lossCurve.series});
        m_lossPlot->setMarkers(lossCurve.markers);
        std::vector<PlotSeries> valid;
        std::vector<std::pair<double, QString>> markers;
        for (const ValidSeries &v : kValidSeries) {
            std::vector<MetricPoint> points;
            for (const MetricPoint &p : curvePoints(*db, *run, v.name))
                if (p.split == "valid")
                    points.push_back(p);
            RunCurve curve = runCurve(points, CurveAxis::Epoch, QString::fromLatin1(v.name), tr("run %1 %2").arg(*run).arg(QLatin1String(v.label)), colour);
            curve.series.pen = v.pen;
            valid.push_back(std::move(curve.series));
            markers = std::move(curve.markers);
        }
        m_validPlot->setSeries(std::move(valid));
        m_validPlot->setMarkers(std::move(markers));
    } catch (const std::exception &error) {
        reportError(tr("Could not read run %1").arg(*run), QString::fromUtf8(error.what()));
    }
}

void TrainingView::startJob(const QString &title, std::function<void(JobEvents &, StopToken, const std::atomic<bool> *)> work)
{
    if (jobs().isRunning()) {
        reportError(tr("Another job is running"), tr("'%1' is still running; wait for it or cancel it first.").arg(jobs().title()));
        return;
    }
    m_pause->store(false);
    auto pause = m_pause;
    const bool started = jobs().start(title, [work = std::move(work), pause](JobEvents &events, StopToken stop) {
        work(events, stop, pause.get());
    });
    if (!started)
        return;
    m_training = true;
    m_liveRun.reset();
    m_log->clear();
    m_progress->setValue(0);
    m_eta->clear();
    m_clock.start();
    m_pausedMs = 0;
    resetLiveCurves(title);
    // Live series exist from the start, so every point of the run lands on them.
    const QColor colour = palette().color(QPalette::Highlight);
    PlotSeries loss{QStringLiteral("loss"), tr("loss"), colour, {}, {}, PlotSeries::Style::Line};
    m_lossPlot->setSeries({loss});
    std::vector<PlotSeries> valid;
    for (const ValidSeries &v : kValidSeries) {
        PlotSeries s{QString::fromLatin1(v.name), QLatin1String(v.label), colour, {}, {}, PlotSeries::Style::LinePoints};
        s.pen = v.pen;
        valid.push_back(std::move(s));
    }
    m_validPlot->setSeries(std::move(valid));
    updateButtons();
}

void TrainingView::start()
{
    const auto &db = context().database();
    if (!db || !context().dataset()) {
        reportError(tr("Nothing to train on"), tr("Open a project and select a dataset first."));
        return;
    }
    const QString config = m_config->configForRun();
    if (config.isEmpty()) {
        reportError(tr("The config is not valid"), m_config->statusLabel()->text());
        return;
    }
    TrainRequest request;
    request.dataset = context().dataset()->name;
    request.config = config.toStdString();
    if (m_snapshotBox->currentData().isValid())
        request.snapshot = m_snapshotBox->currentData().toLongLong();
    request.device = m_deviceBox->currentData().toString().toStdString();
    const std::filesystem::path path = db->path();
    startJob(tr("Training %1 on %2").arg(m_config->configName(), QString::fromStdString(request.dataset)),
             [path, request](JobEvents &events, StopToken stop, const std::atomic<bool> *pause) {
                 // Own connection on the worker thread; the window keeps reading through its own.
                 const Database own(path, Database::Mode::OpenExisting);
                 TrainingControl control;
                 control.stop = stop;
                 control.pause = pause;
                 startTraining(own, request, events, control);
             });
}

void TrainingView::resume()
{
    const auto &db = context().database();
    const auto run = context().run();
    if (!db || !run) {
        reportError(tr("No run to resume"), tr("Select a stopped or interrupted run (in Curves & Runs) first."));
        return;
    }
    const std::filesystem::path path = db->path();
    const std::int64_t id = *run;
    startJob(tr("Resuming run %1").arg(id), [path, id](JobEvents &events, StopToken stop, const std::atomic<bool> *pause) {
        const Database own(path, Database::Mode::OpenExisting);
        TrainingControl control;
        control.stop = stop;
        control.pause = pause;
        resumeTraining(own, id, events, control);
    });
}

void TrainingView::togglePause()
{
    if (!m_training)
        return;
    const bool pause = !m_pause->load();
    m_pause->store(pause);
    if (pause) {
        m_pausedSince.start();
        m_eta->setText(tr("paused: the run holds at its next step"));
    } else if (m_pausedSince.isValid()) {
        m_pausedMs += m_pausedSince.elapsed();
        m_pausedSince.invalidate();
        m_eta->clear();
    }
    updateButtons();
}

void TrainingView::stop()
{
    if (!m_training)
        return;
    m_pause->store(false); // a paused run must wake up to stop
    jobs().cancel();       // the run writes a checkpoint and ends as "stopped"
    m_eta->setText(tr("stopping: writing a checkpoint…"));
    updateButtons();
}

void TrainingView::onMetric(const MetricPoint &point)
{
    if (!m_training)
        return;
    if (!m_liveRun) {
        m_liveRun = point.run; // the run this job created (or resumed)
        m_runLabel->setText(tr("%1 — run %2").arg(jobs().title()).arg(point.run));
        // The live curves take the run's colour, the one it has in every view.
        for (PlotWidget *plot : {m_lossPlot, m_validPlot}) {
            std::vector<PlotSeries> series = plot->series();
            for (PlotSeries &s : series)
                s.colour = runColour(point.run, palette());
            plot->setSeries(std::move(series));
        }
        try {
            context().setRun(point.run); // the other views follow the live run
        } catch (const std::exception &) {
            // Not readable yet from this connection; the views catch up when the job ends.
        }
    }
    if (point.run != *m_liveRun)
        return;
    if (point.split == "train" && point.name == "loss") {
        auto [it, added] = m_liveX.try_emplace("loss", CurveAxis::Step);
        m_lossPlot->appendPoint(QStringLiteral("loss"), it->second.next(point), point.value);
        if (it->second.markers().size() > 0)
            m_lossPlot->setMarkers(it->second.markers());
        return;
    }
    if (point.split != "valid")
        return;
    for (const ValidSeries &v : kValidSeries) {
        if (point.name != v.name)
            continue;
        auto [it, added] = m_liveX.try_emplace(v.name, CurveAxis::Epoch);
        m_validPlot->appendPoint(QString::fromLatin1(v.name), it->second.next(point), point.value);
        m_validPlot->setMarkers(it->second.markers());
    }
}

void TrainingView::onProgress(double fraction, const QString &stage)
{
    if (!m_training)
        return;
    m_progress->setValue(static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
    m_progress->setFormat(QStringLiteral("%1 — %p%").arg(stage));
    if (m_pause->load())
        return;
    const qint64 active = m_clock.elapsed() - m_pausedMs;
    if (fraction > 0.01 && fraction < 1.0) {
        const auto remaining = static_cast<qint64>(static_cast<double>(active) * (1.0 - fraction) / fraction);
        m_eta->setText(tr("%1 elapsed, about %2 left").arg(durationText(active), durationText(remaining)));
    }
}

void TrainingView::onJobEnded()
{
    m_training = false;
    m_pause->store(false);
    m_pausedSince.invalidate();
    m_eta->setText(tr("ended after %1").arg(durationText(m_clock.elapsed())));
    if (m_liveRun && context().database()) {
        try {
            const RunRecord record = RunRepository(*context().database()).load(*m_liveRun);
            m_runLabel->setText(tr("Run %1 (%2): %3%4")
                                    .arg(*m_liveRun)
                                    .arg(QString::fromStdString(record.name), QString::fromStdString(record.status),
                                         record.message.empty() ? QString() : QStringLiteral(" — ") + QString::fromStdString(record.message)));
        } catch (const std::exception &) {
        }
    }
}

void TrainingView::updateButtons()
{
    const bool busy = jobs().isRunning();
    const bool haveData = context().database() && context().dataset();
    m_startButton->setEnabled(!busy && haveData);
    m_pauseButton->setEnabled(m_training);
    m_pauseButton->setText(m_pause->load() ? tr("Continue") : tr("Pause"));
    m_stopButton->setEnabled(m_training);
    bool resumable = false;
    if (!busy && context().run() && context().database()) {
        try {
            const RunRecord record = RunRepository(*context().database()).load(*context().run());
            resumable = record.resumable() && record.kind != "baseline";
        } catch (const std::exception &) {
        }
    }
    m_resumeButton->setEnabled(resumable);
    m_snapshotBox->setEnabled(!busy);
    m_deviceBox->setEnabled(!busy);
}

} // namespace idgen::ui
