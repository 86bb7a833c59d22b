#pragma once

#include "store/DatasetRepository.h"

#include <QString>

namespace idgen::ui {

// A dataset's counts, import report and identity, as shown by the Summary tab, the import
// dialog's result page (HTML) and `idgenrec-workbench --headless-demo` (plain text). HTML uses
// no fixed colours, so it follows the palette.
QString summaryHtml(const DatasetInfo &info);
QString summaryText(const DatasetInfo &info);

} // namespace idgen::ui
