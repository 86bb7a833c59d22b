#include "widgets/HistoryComposer.h"

#include "store/DatasetRepository.h"

#include <QAction>
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
    // An action, so the cheat sheet (F1) lists the key.
    auto *remove = new QAction(tr("Remove Item From the Written History"), m_history);
    remove->setObjectName("removeHistoryItem");
    remove->setShortcuts({QKeySequence(Qt::Key_Delete), QKeySequence(Qt::Key_Backspace)});
    remove->setShortcutContext(Qt::WidgetShortcut);
    connect(remove, &QAction::triggered, this, [this] { delete m_history->currentItem(); });
    m_history->addAction(remove);
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

} // namespace idgen::ui
