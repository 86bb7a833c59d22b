#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace idgen::ui {

class JobRunner;

// The status bar's view of the running job: its title and stage, a progress bar and Cancel.
// Hidden while no job runs.
class JobStatusWidget : public QWidget {
    Q_OBJECT
public:
    explicit JobStatusWidget(JobRunner *runner, QWidget *parent = nullptr);

    QString stageText() const;
    int progressValue() const;

private:
    JobRunner *m_runner;
    QLabel *m_label;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
};

} // namespace idgen::ui
