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
// A green that contrasts with the base colour (words added to an ID).
QColor addedText(const QPalette &palette);
// The highlight colour mixed into the base colour: a row background the palette's Text reads
// well on (the test item among the ranked items), in light and dark themes alike.
QColor highlightTint(const QPalette &palette);

// The dark theme: Fusion style and a dark palette with every role the views draw with set
// (Link, PlaceholderText, Mid included). The light theme is the platform's style and palette.
QPalette darkPalette();
// Switches the application's theme now; widgets follow through their PaletteChange events.
void applyTheme(bool dark);
bool darkThemeApplied();
// The choice remembered in QSettings ("appearance/darkTheme").
bool rememberedDarkTheme();
void rememberDarkTheme(bool dark);

} // namespace style
} // namespace idgen::ui
