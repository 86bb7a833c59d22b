#pragma once

#include <QList>

class QAction;
class QWidget;

namespace idgen {
class Database;
}

namespace idgen::ui {

// The keyboard cheat sheet, built from the actions themselves so it always tells the truth.
void showShortcutSheet(QWidget *parent, const QList<QAction *> &actions);
// Versions of the application and the libraries it runs on (recorded with every run too).
void showAbout(QWidget *parent, const Database *db);

} // namespace idgen::ui
