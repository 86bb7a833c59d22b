#pragma once

#include "views/ContextView.h"

#include <QString>

#include <functional>

namespace idgen::ui {

class MainWindow;

struct ScreenshotOptions {
    QString view;              // a registered view's name (ViewRegistry.h)
    ScreenshotRequest request; // --run, --snapshot, --user
    QString file;              // the PNG to write
    int timeoutMs = 120000;    // how long the view may stay busy
};

// `idgenrec-workbench PROJECT --view NAME --screenshot FILE.png`: once the window's job (if any)
// has ended, makes what the request names current, shows the view, lets it choose the rest
// (ContextView::prepareScreenshot), waits until no view is busy and saves the window. `done` gets
// 0, or 1 and a message naming what failed (unknown view, run or snapshot; a view still busy at
// the timeout; an unwritable file). Returns at once; the work happens in the event loop.
void runScreenshot(MainWindow &window, const ScreenshotOptions &options,
                   std::function<void(int code, const QString &message)> done);

} // namespace idgen::ui
