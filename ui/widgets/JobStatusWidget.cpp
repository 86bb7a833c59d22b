#include "widgets/JobStatusWidget.h"

#include "JobRunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace idgen::ui {

JobStatusWidget::JobStatusWidget(JobRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_label(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    setObjectName("jobStatus");
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setObjectName("cancelJob");
    m_cancel->setToolTip(tr("Stop the running job; what it wrote is rolled back"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    hide();

    connect(m_cancel, &QToolButton::clicked, this, [this] {
        m_runner->cancel();
        m_label->setText(tr("%1: cancelling…").arg(m_runner->title()));
        m_cancel->setEnabled(false);
    });
    connect(runner, &JobRunner::started, this, [this](const QString &title) {
        m_label->setText(title);
        m_progress->setValue(0);
        m_cancel->setEnabled(true);
        show();
    });
    connect(runner, &JobRunner::progress, this, [this](double fraction, const QString &stage) {
        m_progress->setValue(static_cast<int>(fraction * 1000));
        if (m_cancel->isEnabled())
            m_label->setText(tr("%1: %2").arg(m_runner->title(), stage));
    });
    connect(runner, &JobRunner::runningChanged, this, [this](bool running) { setVisible(running); });
}

QString JobStatusWidget::stageText() const
{
    return m_label->text();
}

int JobStatusWidget::progressValue() const
{
    return m_progress->value();
}

} // namespace idgen::ui
