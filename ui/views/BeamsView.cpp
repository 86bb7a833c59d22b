#include "views/BeamsView.h"

#include "JobRunner.h"
#include "ids/IdSnapshotRepository.h"
#include "models/RankedItemsModel.h"
#include "recommend/DecodeTraceRepository.h"
#include "recommend/RecommenderCache.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "train/RunRepository.h"
#include "widgets/BeamTreeWidget.h"
#include "widgets/HistoryComposer.h"
#include "widgets/TableExportButton.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace idgen::ui {
namespace {

constexpr int kPlayIntervalMs = 600;
const char *kChooseFile = "choose-file";

} // namespace

// One decoding (or trace read) at a time on the view's own JobRunner, so a training job on the
// window's runner does not stop the inspector. A request made while one runs waits as the only
// queued one (newer requests replace it), and the running one's result is then dropped.
class BeamsView::Worker {
public:
    using Work = std::function<BeamInspection(const Database &)>;

    JobRunner runner;
    // The model and snapshot of the last decoding, so "decode again" with other beams, a prefix
    // or another user does not read them again.
    std::shared_ptr<RecommenderCache> cache = std::make_shared<RecommenderCache>();
    std::shared_ptr<std::optional<BeamInspection>> result;
    std::optional<std::pair<QString, Work>> queued;
    std::filesystem::path project;

    void launch(const QString &title, Work work)
    {
        result = std::make_shared<std::optional<BeamInspection>>();
        runner.start(title, [project = project, work = std::move(work), out = result](JobEvents &, StopToken) {
            const Database db(project, Database::Mode::OpenExisting);
            *out = work(db);
        });
    }
};

BeamsView::BeamsView(ProjectContext &context, JobRunner &jobs, QWidget *parent)
    : ContextView(context, jobs, parent)
    , m_worker(std::make_unique<Worker>())
    , m_snapshot(new QComboBox(this))
    , m_model(new QComboBox(this))
    , m_source(new QTabWidget(this))
    , m_user(new QLineEdit(this))
    , m_composer(new HistoryComposer(this))
    , m_beams(new QSpinBox(this))
    , m_prefix(new QLineEdit(this))
    , m_constrained(new QCheckBox(tr("Only item IDs (trie)"), this))
    , m_store(new QCheckBox(tr("Keep the trace in the project"), this))
    , m_decode(new QPushButton(tr("Decode"), this))
    , m_traces(new QComboBox(this))
    , m_openTrace(new QPushButton(tr("Open"), this))
    , m_status(new QLabel(this))
    , m_prompt(new QPlainTextEdit(this))
    , m_target(new QLabel(this))
    , m_step(new QSlider(Qt::Horizontal, this))
    , m_stepLabel(new QLabel(this))
    , m_showPruned(new QCheckBox(tr("Pruned alternatives"), this))
    , m_play(new QPushButton(tr("Play"), this))
    , m_playTimer(new QTimer(this))
    , m_treeArea(new QScrollArea(this))
    , m_tree(new BeamTreeWidget)
    , m_ranked(new RankedItemsModel(this))
    , m_rankedTable(new QTableView(this))
    , m_rankedExport(new TableExportButton(m_rankedTable, QStringLiteral("ranked-items.csv"), this))
{
    setObjectName("beamsView");
    m_snapshot->setObjectName("beamsSnapshot");
    m_model->setObjectName("beamsModel");
    m_user->setObjectName("beamsUser");
    m_user->setPlaceholderText(tr("the user's raw id"));
    m_beams->setRange(1, 64);
    m_beams->setValue(10);
    m_prefix->setPlaceholderText(tr("ID words every result starts with"));
    m_prefix->setToolTip(tr("Force a prefix: the search continues from these words. Click a node of the tree to use its path."));
    m_prefix->setClearButtonEnabled(true);
    m_constrained->setChecked(true);
    m_constrained->setToolTip(tr("Off: no trie, so the model writes what it would write; texts that are no item's ID are listed too"));
    m_decode->setToolTip(tr("Decode with these settings (Ctrl+Return)"));
    m_decode->setDefault(true);
    auto *userPage = new QWidget(this);
    auto *userLayout = new QVBoxLayout(userPage);
    userLayout->addWidget(m_user);
    userLayout->addWidget(new QLabel(tr("The user's test prompt: the last 20 items before the test item."), userPage));
    userLayout->addStretch(1);
    static_cast<QLabel *>(userLayout->itemAt(1)->widget())->setWordWrap(true);
    m_source->addTab(userPage, tr("User"));
    m_source->addTab(m_composer, tr("Write a history"));
    m_traces->setObjectName("beamsTraces");
    m_status->setWordWrap(true);
    m_prompt->setReadOnly(true);
    m_prompt->setMaximumBlockCount(50);
    m_prompt->setFixedHeight(m_prompt->fontMetrics().lineSpacing() * 4 + 12);
    m_target->setWordWrap(true);
    m_target->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_step->setRange(0, 0);
    m_step->setToolTip(tr("Draw the search up to this step"));
    m_showPruned->setChecked(true);
    m_treeArea->setWidget(m_tree);
    m_treeArea->setWidgetResizable(false);
    m_treeArea->setBackgroundRole(QPalette::Base);
    m_rankedTable->setObjectName("rankedItems");
    m_rankedTable->setModel(m_ranked);
    m_rankedTable->verticalHeader()->hide();
    m_rankedTable->horizontalHeader()->setStretchLastSection(true);
    m_rankedTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rankedTable->setAlternatingRowColors(true);
    m_playTimer->setInterval(kPlayIntervalMs);

    auto *form = new QFormLayout;
    form->addRow(tr("Snapshot"), m_snapshot);
    form->addRow(tr("Model"), m_model);
    form->addRow(tr("Beams"), m_beams);
    form->addRow(tr("Prefix"), m_prefix);
    form->addRow(QString(), m_constrained);
    form->addRow(QString(), m_store);
    auto *traceRow = new QHBoxLayout;
    traceRow->addWidget(m_traces, 1);
    traceRow->addWidget(m_openTrace);
    auto *controls = new QWidget(this);
    auto *controlLayout = new QVBoxLayout(controls);
    controlLayout->setContentsMargins(0, 0, 0, 0);
    controlLayout->addLayout(form);
    controlLayout->addWidget(m_source, 1);
    controlLayout->addWidget(m_decode);
    controlLayout->addWidget(new QLabel(tr("Stored traces of the snapshot"), this));
    controlLayout->addLayout(traceRow);
    controlLayout->addWidget(m_status);
    controls->setMinimumWidth(260);

    auto *stepBar = new QHBoxLayout;
    stepBar->addWidget(new QLabel(tr("Step"), this));
    stepBar->addWidget(m_step, 1);
    stepBar->addWidget(m_stepLabel);
    stepBar->addWidget(m_play);
    stepBar->addWidget(m_showPruned);
    auto *treePane = new QWidget(this);
    auto *treeLayout = new QVBoxLayout(treePane);
    treeLayout->setContentsMargins(0, 0, 0, 0);
    treeLayout->addWidget(m_prompt);
    treeLayout->addWidget(m_target);
    treeLayout->addLayout(stepBar);
    treeLayout->addWidget(m_treeArea, 1);
    auto *rankedPane = new QWidget(this);
    auto *rankedLayout = new QVBoxLayout(rankedPane);
    rankedLayout->setContentsMargins(0, 0, 0, 0);
    rankedLayout->setSpacing(0);
    auto *rankedBar = new QHBoxLayout;
    rankedBar->addWidget(new QLabel(tr("Ranked items"), this));
    rankedBar->addStretch(1);
    rankedBar->addWidget(m_rankedExport);
    rankedLayout->addLayout(rankedBar);
    rankedLayout->addWidget(m_rankedTable, 1);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(treePane);
    right->addWidget(rankedPane);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(controls);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_decode, &QPushButton::clicked, this, &BeamsView::decode);
    // An action, not a bare QShortcut, so the cheat sheet (F1) lists it.
    auto *decodeAction = new QAction(tr("Decode (Beam Inspector)"), this);
    decodeAction->setObjectName("beamsDecode");
    decodeAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    decodeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(decodeAction, &QAction::triggered, this, &BeamsView::decode);
    addAction(decodeAction);
    connect(m_rankedExport, &TableExportButton::exportFailed, this,
            [this](const QString &summary, const QString &message) { reportError(summary, message); });
    connect(m_openTrace, &QPushButton::clicked, this, [this] {
        if (m_traces->currentIndex() >= 0)
            openTrace(m_traces->currentData().toLongLong());
    });
    connect(m_snapshot, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling || m_snapshot->currentIndex() < 0)
            return;
        try {
            this->context().setSnapshot(m_snapshot->currentData().toLongLong());
        } catch (const std::exception &e) {
            reportError(tr("Could not open the snapshot"), QString::fromUtf8(e.what()));
        }
    });
    connect(m_model, &QComboBox::activated, this, &BeamsView::onModelChosen);
    connect(m_user, &QLineEdit::editingFinished, this, [this] {
        if (!m_filling && m_user->text() != this->context().user())
            this->context().setUser(m_user->text().trimmed());
    });
    connect(m_step, &QSlider::valueChanged, this, &BeamsView::onStepChanged);
    connect(m_showPruned, &QCheckBox::toggled, m_tree, &BeamTreeWidget::setShowPruned);
    connect(m_tree, &BeamTreeWidget::prefixClicked, this, [this](const QString &prefix) { m_prefix->setText(prefix); });
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_playTimer->isActive()) {
            m_playTimer->stop();
            m_play->setText(tr("Play"));
            return;
        }
        m_step->setValue(0);
        m_play->setText(tr("Stop"));
        m_playTimer->start();
    });
    connect(m_playTimer, &QTimer::timeout, this, [this] {
        if (m_step->value() >= m_step->maximum()) {
            m_playTimer->stop();
            m_play->setText(tr("Play"));
            return;
        }
        m_step->setValue(m_step->value() + 1);
    });
    connect(m_composer, &HistoryComposer::errorOccurred, this,
            [this](const QString &summary, const QString &message) { reportError(summary, message); });

    connect(&m_worker->runner, &JobRunner::finished, this, [this] {
        const auto result = m_worker->result;
        if (m_worker->queued) {
            auto [title, work] = std::move(*m_worker->queued);
            m_worker->queued.reset();
            m_worker->launch(title, std::move(work));
            return;
        }
        setBusy(false);
        if (*result)
            show(std::make_shared<const BeamInspection>(std::move(**result)));
    });
    connect(&m_worker->runner, &JobRunner::failed, this, [this](const QString &message) {
        if (m_worker->queued) {
            auto [title, work] = std::move(*m_worker->queued);
            m_worker->queued.reset();
            m_worker->launch(title, std::move(work));
            return;
        }
        setBusy(false);
        m_status->setText(tr("Failed: %1").arg(message));
        reportError(tr("Decoding failed"), message);
    });
}

BeamsView::~BeamsView() = default;

int BeamsView::modelLoads() const
{
    return m_worker->cache->modelLoads();
}

bool BeamsView::isBusy() const
{
    return m_busy;
}

void BeamsView::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    m_decode->setEnabled(true); // a new request replaces the queued one
    Q_EMIT busyChanged(busy);
}

void BeamsView::start(const QString &title, std::function<BeamInspection(const Database &)> work)
{
    if (!context().database()) {
        reportError(tr("No project"), tr("Open a project first."));
        return;
    }
    m_worker->project = context().database()->path();
    m_status->setText(title + QStringLiteral("…"));
    setBusy(true);
    if (m_worker->runner.isRunning())
        m_worker->queued = std::make_pair(title, std::move(work));
    else
        m_worker->launch(title, std::move(work));
}

void BeamsView::decode()
{
    if (m_snapshot->currentIndex() < 0) {
        reportError(tr("Nothing to decode"), tr("This dataset has no ID snapshot: assign IDs first (idgenrec ids assign)."));
        return;
    }
    const QString checkpoint = m_model->currentData().toString();
    if (checkpoint.isEmpty() || checkpoint == QLatin1String(kChooseFile)) {
        reportError(tr("No model"), tr("Choose a run's checkpoint or a checkpoint file in 'Model'."));
        return;
    }
    UserDecodeRequest request;
    request.checkpoint = checkpoint.toStdString();
    request.snapshot = m_snapshot->currentData().toLongLong();
    request.beams = m_beams->value();
    request.forcedPrefix = m_prefix->text().trimmed().toStdString();
    request.constrained = m_constrained->isChecked();
    request.storeTrace = m_store->isChecked();
    QString who;
    if (m_source->currentWidget() == m_composer) {
        const QStringList history = m_composer->history();
        if (history.isEmpty()) {
            reportError(tr("Nothing to decode"), tr("Add items to the history first."));
            return;
        }
        for (const QString &item : history)
            request.historyRawIds.push_back(item.toStdString());
        request.storeTrace = false; // a hand-written history is no user's
        who = tr("a written history of %n item(s)", nullptr, static_cast<int>(history.size()));
    } else {
        request.userRawId = m_user->text().trimmed().toStdString();
        if (request.userRawId.empty()) {
            reportError(tr("Nothing to decode"), tr("Enter a user's raw id, or write a history."));
            return;
        }
        who = tr("user %1").arg(m_user->text().trimmed());
    }
    start(tr("Decoding %1 with %2 beams").arg(who).arg(request.beams),
          [request, cache = m_worker->cache](const Database &db) { return inspectDecoding(db, request, cache.get()); });
}

void BeamsView::openTrace(std::int64_t traceId)
{
    start(tr("Reading trace %1").arg(traceId), [traceId](const Database &db) { return inspectStoredTrace(db, traceId); });
}

void BeamsView::show(std::shared_ptr<const BeamInspection> inspection)
{
    m_shown = std::move(inspection);
    const BeamInspection &i = *m_shown;
    m_prompt->setPlainText(QString::fromStdString(i.prompt));
    QString target;
    if (i.targetRawId.empty())
        target = tr("A written history has no test item.");
    else if (i.targetRank)
        target = tr("Test item %1 \"%2\" (%3): rank %4 of %5.")
                     .arg(QString::fromStdString(i.targetRawId), QString::fromStdString(i.targetIdText),
                          QString::fromStdString(i.targetTitle))
                     .arg(*i.targetRank)
                     .arg(i.ranked.size());
    else
        target = tr("Test item %1 \"%2\" (%3): not among the %4 results.")
                     .arg(QString::fromStdString(i.targetRawId), QString::fromStdString(i.targetIdText),
                          QString::fromStdString(i.targetTitle))
                     .arg(i.ranked.size());
    m_target->setText(target);
    QMap<QString, int> ranks;
    for (const RankedItem &r : i.ranked)
        ranks.insert(QString::fromStdString(r.idText), r.rank);
    m_tree->setTree(std::shared_ptr<const BeamTree>(m_shown, &m_shown->tree));
    m_tree->setMarks(ranks, QString::fromStdString(i.targetIdText));
    m_tree->setShowPruned(m_showPruned->isChecked());
    // Open on the start of the search, between the root and the path worth seeing (the test
    // item's, else the best hypothesis's).
    const QRectF root = m_tree->nodeRect(0);
    const QRectF focus = m_tree->nodeRect(m_tree->focusNode());
    m_treeArea->horizontalScrollBar()->setValue(0);
    m_treeArea->ensureVisible(static_cast<int>(root.left()), static_cast<int>((root.center().y() + focus.center().y()) / 2.0),
                              10, m_treeArea->viewport()->height() / 2);
    // The form shows what produced this search, so Decode repeats it (a stored trace's too).
    m_filling = true;
    if (!i.userRawId.empty())
        m_user->setText(QString::fromStdString(i.userRawId));
    if (i.beams > 0)
        m_beams->setValue(i.beams);
    m_filling = false;
    m_ranked->setItems(i.ranked, QString::fromStdString(i.targetRawId));
    m_rankedTable->resizeColumnsToContents();
    m_filling = true;
    m_step->setRange(0, std::max(0, i.tree.steps - 1));
    m_step->setValue(m_step->maximum());
    m_filling = false;
    onStepChanged(m_step->value());
    const QString source = i.seconds > 0.0 ? tr("decoded in %1 s").arg(i.seconds, 0, 'f', 2)
                                           : tr("stored trace %1").arg(i.traceId.value_or(0));
    m_status->setText(tr("%1 · %2 beams · %3 nodes, %4 pruned alternatives%5")
                          .arg(source)
                          .arg(i.beams)
                          .arg(i.tree.nodes.size())
                          .arg(i.tree.count(BeamTreeNode::Kind::Pruned))
                          .arg(i.seconds > 0.0 && i.traceId ? tr(" · kept as trace %1").arg(*i.traceId) : QString()));
    if (i.seconds > 0.0 && i.traceId)
        reloadTraces();
}

void BeamsView::onStepChanged(int step)
{
    m_stepLabel->setText(tr("%1 of %2").arg(step + 1).arg(m_step->maximum() + 1));
    if (!m_filling)
        m_tree->setLastStep(step >= m_step->maximum() ? -1 : step);
}

void BeamsView::onModelChosen(int index)
{
    if (m_model->itemData(index).toString() != QLatin1String(kChooseFile))
        return;
    const QString file = QFileDialog::getOpenFileName(this, tr("Recommender Checkpoint"), QString(),
                                                      tr("Checkpoints (*.ckpt);;All files (*)"));
    if (file.isEmpty())
        m_model->setCurrentIndex(0);
    else
        setCheckpointFile(file);
}

void BeamsView::setCheckpointFile(const QString &path)
{
    int index = m_model->findData(path);
    if (index < 0) {
        index = std::max(0, m_model->count() - 1); // before "Checkpoint file…"
        m_model->insertItem(index, QFileInfo(path).fileName(), path);
    }
    m_model->setCurrentIndex(index);
}

void BeamsView::contextChanged(ContextChanges what)
{
    if (what & (ContextChange::Project | ContextChange::Dataset | ContextChange::Contents)) {
        reloadSnapshots();
        reloadModels();
        const auto &dataset = context().dataset();
        m_composer->setDataset(context().database(), dataset ? dataset->id : 0);
    }
    if (what & (ContextChange::Snapshot | ContextChange::Project | ContextChange::Dataset)) {
        m_filling = true;
        if (const auto snapshot = context().snapshot())
            m_snapshot->setCurrentIndex(m_snapshot->findData(QVariant::fromValue<qlonglong>(*snapshot)));
        m_filling = false;
        reloadTraces();
    }
    if (what & ContextChange::Run) {
        if (const auto run = context().run()) {
            for (int i = 0; i < m_model->count(); ++i)
                if (m_model->itemData(i, Qt::UserRole + 1).toLongLong() == *run)
                    m_model->setCurrentIndex(i);
        }
    }
    if (what & ContextChange::User) {
        m_filling = true;
        m_user->setText(context().user());
        m_filling = false;
    }
}

void BeamsView::reloadSnapshots()
{
    m_filling = true;
    m_snapshot->clear();
    const auto &db = context().database();
    const auto &dataset = context().dataset();
    try {
        if (db && dataset) {
            const auto snapshots = IdSnapshotRepository(*db).list(dataset->name);
            for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it)
                m_snapshot->addItem(tr("%1 · %2 · %3 items").arg(it->id).arg(QString::fromStdString(it->scheme)).arg(it->items),
                                    QVariant::fromValue<qlonglong>(it->id));
        }
    } catch (const std::exception &e) {
        reportError(tr("Could not list the ID snapshots"), QString::fromUtf8(e.what()));
    }
    if (const auto snapshot = context().snapshot())
        m_snapshot->setCurrentIndex(m_snapshot->findData(QVariant::fromValue<qlonglong>(*snapshot)));
    m_filling = false;
}

void BeamsView::reloadModels()
{
    const QString kept = m_model->currentData().toString();
    m_model->clear();
    const auto &db = context().database();
    const auto &dataset = context().dataset();
    try {
        if (db && dataset) {
            const RunRepository runs(*db);
            const auto list = runs.list(dataset->name);
            for (auto it = list.rbegin(); it != list.rend(); ++it) {
                if (it->kind == "baseline")
                    continue; // baselines are no seq2seq recommenders
                for (const auto &[which, path] : {std::pair{tr("best"), it->checkpointBest}, std::pair{tr("last"), it->checkpointLast}}) {
                    if (path.empty())
                        continue;
                    m_model->addItem(tr("run %1 · %2 · %3").arg(it->id).arg(QString::fromStdString(it->name), which),
                                     QString::fromStdString(runs.resolve(path).string()));
                    m_model->setItemData(m_model->count() - 1, QVariant::fromValue<qlonglong>(it->id), Qt::UserRole + 1);
                }
            }
        }
    } catch (const std::exception &e) {
        reportError(tr("Could not list the runs"), QString::fromUtf8(e.what()));
    }
    if (!kept.isEmpty() && kept != QLatin1String(kChooseFile) && m_model->findData(kept) < 0)
        m_model->addItem(QFileInfo(kept).fileName(), kept);
    m_model->addItem(tr("Checkpoint file…"), QString::fromLatin1(kChooseFile));
    const int index = m_model->findData(kept);
    m_model->setCurrentIndex(index >= 0 && kept != QLatin1String(kChooseFile) ? index : 0);
}

void BeamsView::reloadTraces()
{
    m_traces->clear();
    const auto &db = context().database();
    if (!db || m_snapshot->currentIndex() < 0)
        return;
    try {
        for (const StoredTrace &t : DecodeTraceRepository(*db).list(m_snapshot->currentData().toLongLong()))
            m_traces->addItem(tr("trace %1 · user #%2 · %3 beams · %4")
                                  .arg(t.id)
                                  .arg(t.user)
                                  .arg(t.beams)
                                  .arg(QString::fromStdString(t.createdAt)),
                              QVariant::fromValue<qlonglong>(t.id));
    } catch (const std::exception &e) {
        reportError(tr("Could not list the stored traces"), QString::fromUtf8(e.what()));
    }
    m_openTrace->setEnabled(m_traces->count() > 0);
}

void BeamsView::prepareScreenshot(const ScreenshotRequest &request)
{
    const auto &db = context().database();
    const auto &dataset = context().dataset();
    if (!db || !dataset)
        return;
    const DecodeTraceRepository traces(*db);
    // The snapshot asked for, else the newest snapshot that has a stored trace.
    std::vector<std::int64_t> snapshots;
    if (request.snapshot)
        snapshots.push_back(*request.snapshot);
    else
        for (const auto &info : IdSnapshotRepository(*db).list(dataset->name))
            snapshots.insert(snapshots.begin(), info.id);
    std::int64_t userIndex = -1;
    if (!request.user.isEmpty()) {
        const Dataset loaded = DatasetRepository(*db).load(dataset->name);
        for (std::size_t u = 0; u < loaded.userCount(); ++u)
            if (QString::fromStdString(loaded.userRawIds[u]) == request.user)
                userIndex = static_cast<std::int64_t>(u);
    }
    for (const std::int64_t snapshot : snapshots) {
        const auto found = traces.list(snapshot, userIndex);
        if (found.empty())
            continue;
        context().setSnapshot(snapshot);
        openTrace(found.front().id);
        return;
    }
    // No stored trace: decode the user with the newest run's checkpoint, when there is one.
    if (!request.run)
        if (const auto run = context().newestRun())
            context().setRun(run);
    if (!request.user.isEmpty())
        m_user->setText(request.user);
    if (m_model->count() > 1 && !m_user->text().isEmpty())
        decode();
    else
        m_status->setText(tr("No stored trace and no user to decode: run idgenrec decode --store-trace, or pick a user."));
}

} // namespace idgen::ui
