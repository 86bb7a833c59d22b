#pragma once

#include <QColor>
#include <QPalette>

namespace idgen::ui {

// Colours derived from the active palette, so light and dark themes both read well.
namespace style {

bool isDark(const QPalette &palette);
// A red that contrasts with the palette's base colour (text of errors).
QColor errorText(const QPalette &palette);
// A faint red tint of the base colour (background of error banners and invalid inputs).
QColor errorBackground(const QPalette &palette);
// A palette whose Base/Window are tinted for an input holding an invalid value.
QPalette invalidInputPalette(const QPalette &palette);

} // namespace style
} // namespace idgen::ui
