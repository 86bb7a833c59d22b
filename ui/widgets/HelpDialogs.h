#pragma once

#include <QList>
#include <QPair>
#include <QString>

class QAction;
class QWidget;

namespace idgen {
class Database;
}

namespace idgen::ui {

// Every action with a shortcut in the window: its own first, then those of its views and their
// pages and widgets (any QAction in the window's object tree), in the order they were made.
// A key only works through an action, so the cheat sheet built from these cannot drift.
QList<QAction *> shortcutActions(const QWidget &window);
// The cheat sheet's rows: the action's text (without & and …) and its keys as the platform writes them.
QList<QPair<QString, QString>> shortcutSheetRows(const QList<QAction *> &actions);
// The keyboard cheat sheet (a table named "shortcutTable"), built from the actions themselves.
void showShortcutSheet(QWidget *parent, const QList<QAction *> &actions);
// Versions of the application and the libraries it runs on (recorded with every run too).
void showAbout(QWidget *parent, const Database *db);

} // namespace idgen::ui
