#pragma once

#include <QColor>
#include <QPalette>

#include <cstdint>

namespace idgen::ui {

// The colour of a run, everywhere (curves, runs table, legends): a fixed categorical palette
// indexed by the run's id, so a run keeps its colour across views and sessions, and ten
// consecutive runs never share one. Later cycles of ten are shaded darker or lighter. On a dark
// palette the colours are lightened to keep their contrast.
QColor runColour(std::int64_t run, const QPalette &palette);

} // namespace idgen::ui
