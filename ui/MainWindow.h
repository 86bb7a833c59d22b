#pragma once

#include <QMainWindow>

namespace idgen::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace idgen::ui
