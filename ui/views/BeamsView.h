#pragma once

#include "recommend/BeamInspection.h"
#include "views/ContextView.h"

#include <functional>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QSlider;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTimer;

namespace idgen::ui {

class BeamTreeWidget;
class HistoryComposer;
class RankedItemsModel;
class TableExportButton;

// "Beam Inspector": pick a snapshot, a model (a run's checkpoint or a checkpoint file) and a
// user, or write a history by hand, and see the prompt, the search as a tree step by step (what
// the trie pruned drawn dashed with its scores), the ranked items and where the test item
// landed. Beams, a forced prefix and the trie constraint can be changed and the search run again;
// stored traces (decode_traces) open too. Decoding runs on this view's own worker thread; a
// result for settings that changed meanwhile is dropped, never shown.
class BeamsView : public ContextView {
    Q_OBJECT
public:
    BeamsView(ProjectContext &context, JobRunner &jobs, QWidget *parent = nullptr);
    ~BeamsView() override;

    // The request's user (or else the newest stored trace of the dataset's snapshots) is shown:
    // its newest stored trace, or a decoding with the newest run's checkpoint.
    void prepareScreenshot(const ScreenshotRequest &request) override;
    bool isBusy() const override;
    // How many times decodings read a model from disk (the view keeps the last one loaded).
    int modelLoads() const;

    // Decodes with the form's settings.
    void decode();
    // Opens a stored trace.
    void openTrace(std::int64_t traceId);
    // Adds a checkpoint file to the model choices and selects it.
    void setCheckpointFile(const QString &path);
    // The inspection shown (none before the first).
    const BeamInspection *inspection() const { return m_shown.get(); }

    BeamTreeWidget *tree() const { return m_tree; }
    RankedItemsModel *ranked() const { return m_ranked; }
    QTableView *rankedTable() const { return m_rankedTable; }
    TableExportButton *rankedExport() const { return m_rankedExport; }
    QSpinBox *beamsBox() const { return m_beams; }
    QLineEdit *userField() const { return m_user; }
    QLineEdit *prefixField() const { return m_prefix; }
    QCheckBox *constrainedBox() const { return m_constrained; }
    QComboBox *modelBox() const { return m_model; }
    QComboBox *traceBox() const { return m_traces; }
    QSlider *stepSlider() const { return m_step; }
    HistoryComposer *composer() const { return m_composer; }

protected:
    void contextChanged(ContextChanges what) override;

private:
    class Worker;
    void reloadSnapshots();
    void reloadModels();
    void reloadTraces();
    void onModelChosen(int index);
    void start(const QString &title, std::function<BeamInspection(const Database &)> work);
    void show(std::shared_ptr<const BeamInspection> inspection);
    void onStepChanged(int step);
    void setBusy(bool busy);

    std::unique_ptr<Worker> m_worker;
    QComboBox *m_snapshot;
    QComboBox *m_model;
    QTabWidget *m_source;
    QLineEdit *m_user;
    HistoryComposer *m_composer;
    QSpinBox *m_beams;
    QLineEdit *m_prefix;
    QCheckBox *m_constrained;
    QCheckBox *m_store;
    QPushButton *m_decode;
    QComboBox *m_traces;
    QPushButton *m_openTrace;
    QLabel *m_status;
    QPlainTextEdit *m_prompt;
    QLabel *m_target;
    QSlider *m_step;
    QLabel *m_stepLabel;
    QCheckBox *m_showPruned;
    QPushButton *m_play;
    QTimer *m_playTimer;
    QScrollArea *m_treeArea;
    BeamTreeWidget *m_tree;
    RankedItemsModel *m_ranked;
    QTableView *m_rankedTable;
    TableExportButton *m_rankedExport;
    std::shared_ptr<const BeamInspection> m_shown;
    bool m_filling = false;
    bool m_busy = false;
};

} // namespace idgen::ui
