#include "views/SummaryView.h"

#include "models/DatasetSummary.h"
#include "plot/LengthHistogram.h"

#include <QHBoxLayout>
#include <QTextBrowser>

namespace idgen::ui {

SummaryView::SummaryView(QWidget *parent)
    : DatasetPage(parent)
    , m_text(new QTextBrowser(this))
    , m_histogram(new LengthHistogram(this))
{
    m_text->setObjectName("summaryText");
    m_text->setOpenLinks(false);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 3);
    layout->addWidget(m_histogram, 2, Qt::AlignTop);
    m_histogram->setMinimumHeight(240);
}

void SummaryView::showDataset(const std::shared_ptr<const Database> &db, const std::optional<DatasetInfo> &info)
{
    if (!db || !info) {
        m_text->setHtml(tr("<p>No dataset selected. Import one with <b>File ▸ Import Dataset…</b> "
                           "or create the demo dataset with <b>File ▸ Create Demo Dataset</b>.</p>"));
        m_histogram->setCounts({});
        return;
    }
    m_text->setHtml(summaryHtml(*info));
    // All users' lengths in one query: a few ms even for 35k users, and only on selection.
    std::vector<qint64> counts;
    try {
        for (const auto &user : DatasetRepository(*db).users(info->id, RowFilter{}, 0, info->users)) {
            const auto length = static_cast<std::size_t>(std::max<std::int64_t>(0, user.sequenceLength));
            if (counts.size() <= length)
                counts.resize(length + 1, 0);
            ++counts[length];
        }
    } catch (const std::exception &error) {
        m_text->append(tr("<p>Could not read the users: %1</p>").arg(QString::fromUtf8(error.what()).toHtmlEscaped()));
    }
    m_histogram->setCounts(std::move(counts));
}

QString SummaryView::text() const
{
    return m_text->toPlainText();
}

} // namespace idgen::ui
