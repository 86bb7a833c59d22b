#include "RecentProjects.h"

#include <QFileInfo>
#include <QSettings>

namespace idgen::ui::recent {
namespace {

const char *const kKey = "recentProjects";
constexpr int kMax = 8;

} // namespace

QStringList projects()
{
    return QSettings().value(kKey).toStringList();
}

void add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = projects();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMax)
        list.removeLast();
    QSettings().setValue(kKey, list);
}

void remove(const QString &path)
{
    QStringList list = projects();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(kKey, list);
}

void clear()
{
    QSettings().remove(kKey);
}

} // namespace idgen::ui::recent
