#include "widgets/HistoryComposer.h"

#include "store/DatasetRepository.h"

#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace idgen::ui {
namespace {

constexpr int kResults = 50;

} // namespace

HistoryComposer::HistoryComposer(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_results(new QListWidget(this))
    , m_history(new QListWidget(this))
{
    m_search->setPlaceholderText(tr("Find items by title or raw id"));
    m_search->setClearButtonEnabled(true);
    m_results->setToolTip(tr("Double-click or Enter: add to the history"));
    m_history->setObjectName("composedHistory");
    m_history->setDragDropMode(QAbstractItemView::InternalMove);
    m_history->setToolTip(tr("The history, oldest first. Delete removes an item; drag to reorder."));
    m_history->installEventFilter(this);
    m_results->installEventFilter(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search);
    layout->addWidget(m_results, 1);
    layout->addWidget(new QLabel(tr("History (oldest first)"), this));
    layout->addWidget(m_history, 1);
    connect(m_search, &QLineEdit::textChanged, this, &HistoryComposer::search);
    connect(m_results, &QListWidget::itemActivated, this, [this] { addCurrentResult(); });
}

void HistoryComposer::setDataset(std::shared_ptr<const Database> db, std::int64_t datasetId)
{
    m_db = std::move(db);
    m_dataset = datasetId;
    m_results->clear();
    m_history->clear();
}

void HistoryComposer::search(const QString &text)
{
    m_results->clear();
    if (!m_db || text.trimmed().isEmpty())
        return;
    try {
        RowFilter filter;
        filter.text = text.trimmed().toStdString();
        // One indexed page of a quick query: fine on the GUI thread.
        for (const ItemRow &row : DatasetRepository(*m_db).items(m_dataset, filter, 0, kResults)) {
            auto *entry = new QListWidgetItem(QString::fromStdString(row.rawId + "  " + row.title), m_results);
            entry->setData(Qt::UserRole, QString::fromStdString(row.rawId));
            entry->setData(Qt::UserRole + 1, QString::fromStdString(row.title));
        }
    } catch (const std::exception &e) {
        Q_EMIT errorOccurred(tr("Could not search the items"), QString::fromUtf8(e.what()));
    }
}

void HistoryComposer::addItem(const QString &rawId, const QString &title)
{
    auto *entry = new QListWidgetItem(title.isEmpty() ? rawId : rawId + QStringLiteral("  ") + title, m_history);
    entry->setData(Qt::UserRole, rawId);
}

void HistoryComposer::addCurrentResult()
{
    if (const QListWidgetItem *current = m_results->currentItem())
        addItem(current->data(Qt::UserRole).toString(), current->data(Qt::UserRole + 1).toString());
}

QStringList HistoryComposer::history() const
{
    QStringList ids;
    for (int i = 0; i < m_history->count(); ++i)
        ids << m_history->item(i)->data(Qt::UserRole).toString();
    return ids;
}

void HistoryComposer::clear()
{
    m_history->clear();
}

bool HistoryComposer::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (watched == m_history && (key == Qt::Key_Delete || key == Qt::Key_Backspace)) {
            delete m_history->currentItem();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace idgen::ui
