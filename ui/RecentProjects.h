#pragma once

#include <QStringList>

namespace idgen::ui::recent {

// The most recently opened project files, newest first, kept in QSettings.
QStringList projects();
void add(const QString &path);
void remove(const QString &path);
void clear();

} // namespace idgen::ui::recent
