#include "models/WordChangesHtml.h"

#include "Style.h"

namespace idgen::ui {

QString wordChangesHtml(const std::vector<WordChange> &changes, ChangeSide side, const QPalette &palette)
{
    const QString removed = style::errorText(palette).name();
    const QString added = style::addedText(palette).name();
    QStringList words;
    for (const WordChange &change : changes) {
        const QString word = QString::fromStdString(change.word).toHtmlEscaped();
        switch (change.kind) {
        case WordChange::Kind::Kept: words << word; break;
        case WordChange::Kind::Removed:
            if (side == ChangeSide::Old)
                words << QStringLiteral("<s style=\"color:%1\">%2</s>").arg(removed, word);
            break;
        case WordChange::Kind::Added:
            if (side == ChangeSide::New)
                words << QStringLiteral("<b style=\"color:%1\">%2</b>").arg(added, word);
            break;
        }
    }
    return words.join(QLatin1Char(' '));
}

} // namespace idgen::ui
