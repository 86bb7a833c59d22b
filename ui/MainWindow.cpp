#include "MainWindow.h"

namespace idgen::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("IDGenRec Workbench"));
}

} // namespace idgen::ui
