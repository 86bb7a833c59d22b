#include "widgets/SearchBar.h"

#include "Style.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <limits>
#include <regex>

namespace idgen::ui {
namespace {

// -1 shows "any": 0 is a real bound for a maximum.
QSpinBox *boundSpin(const QString &any, QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(-1, std::numeric_limits<int>::max());
    spin->setValue(-1);
    spin->setSpecialValueText(any);
    spin->setAccelerated(true);
    return spin;
}

std::optional<std::int64_t> boundOf(const QSpinBox *spin)
{
    if (spin->value() < 0)
        return std::nullopt;
    return spin->value();
}

} // namespace

SearchBar::SearchBar(const QString &countName, QWidget *parent)
    : QWidget(parent)
    , m_text(new QLineEdit(this))
    , m_regex(new QCheckBox(tr("Regex"), this))
    , m_min(boundSpin(tr("any"), this))
    , m_max(boundSpin(tr("any"), this))
    , m_matches(new QLabel(this))
    , m_error(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    m_text->setObjectName("searchText");
    m_text->setClearButtonEnabled(true);
    m_regex->setObjectName("searchRegex");
    m_regex->setToolTip(tr("Treat the search as a case-insensitive ECMAScript regular expression"));
    m_min->setObjectName("minCount");
    m_max->setObjectName("maxCount");
    m_min->setToolTip(tr("Smallest %1").arg(countName));
    m_max->setToolTip(tr("Largest %1").arg(countName));
    m_error->setObjectName("searchError");
    m_error->setWordWrap(true);
    m_error->hide();
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_text, 3);
    row->addWidget(m_regex);
    row->addSpacing(12);
    row->addWidget(new QLabel(countName.left(1).toUpper() + countName.mid(1), this));
    row->addWidget(m_min);
    row->addWidget(new QLabel(QStringLiteral("–"), this));
    row->addWidget(m_max);
    row->addSpacing(12);
    row->addWidget(m_matches);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_error);

    connect(m_text, &QLineEdit::textChanged, this, &SearchBar::scheduleApply);
    connect(m_text, &QLineEdit::returnPressed, this, &SearchBar::applyNow);
    connect(m_regex, &QCheckBox::toggled, this, &SearchBar::scheduleApply);
    connect(m_min, &QSpinBox::valueChanged, this, &SearchBar::scheduleApply);
    connect(m_max, &QSpinBox::valueChanged, this, &SearchBar::scheduleApply);
    connect(m_debounce, &QTimer::timeout, this, &SearchBar::applyNow);
}

void SearchBar::setDebounceInterval(int milliseconds)
{
    m_debounce->setInterval(milliseconds);
}

void SearchBar::scheduleApply()
{
    m_debounce->start();
}

void SearchBar::applyNow()
{
    m_debounce->stop();
    RowFilter next;
    const std::string text = m_text->text().trimmed().toStdString();
    if (m_regex->isChecked()) {
        // Same dialect and flags as the project file's REGEXP function, so what passes here runs there.
        try {
            std::regex(text, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error &error) {
            showError(tr("Invalid regular expression: %1").arg(QString::fromUtf8(error.what())));
            return;
        }
        next.regex = text;
    } else {
        next.text = text;
    }
    next.minCount = boundOf(m_min);
    next.maxCount = boundOf(m_max);
    if (next.minCount && next.maxCount && *next.minCount > *next.maxCount) {
        showError(tr("The smallest count is above the largest."));
        return;
    }
    clearError();
    m_applied = next;
    Q_EMIT filterChanged();
}

void SearchBar::setMatchCount(qint64 matching, qint64 total)
{
    const QLocale locale;
    m_matches->setText(matching == total ? tr("%1 rows").arg(locale.toString(total))
                                         : tr("%1 of %2 rows").arg(locale.toString(matching), locale.toString(total)));
}

void SearchBar::setSearching()
{
    m_matches->setText(tr("searching…"));
}

void SearchBar::showError(const QString &message)
{
    m_error->setText(message);
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, style::errorText(this->palette()));
    m_error->setPalette(palette);
    m_error->show();
    m_text->setPalette(style::invalidInputPalette(this->palette()));
}

QString SearchBar::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SearchBar::clearError()
{
    m_error->hide();
    m_error->clear();
    m_text->setPalette(QPalette()); // inherit again, so a later theme change still applies
}

} // namespace idgen::ui
