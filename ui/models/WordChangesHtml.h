#pragma once

#include "ids/WordChanges.h"

#include <QPalette>
#include <QString>

#include <vector>

namespace idgen::ui {

// The role under which the IDs view's models hand an ID with its changed words marked up to
// HtmlDelegate (widgets/HtmlDelegate.h).
constexpr int kHtmlRole = Qt::UserRole + 40;

// One side of a word-level change as HTML: the old ID (kept words plain, removed ones struck
// through in the palette's error colour) or the new one (added words bold in a green that reads
// on the palette's base).
enum class ChangeSide { Old, New };
QString wordChangesHtml(const std::vector<WordChange> &changes, ChangeSide side, const QPalette &palette);

} // namespace idgen::ui
