// The list of the window's views (ViewRegistry.h says how to add one): one line per view.
#include "ViewRegistry.h"

#include "views/BeamsView.h"
#include "views/CurvesView.h"
#include "views/DatasetsView.h"
#include "views/IdsView.h"
#include "views/TrainingView.h"

#include <QCoreApplication>

namespace idgen::ui {

const std::vector<ViewSpec> &workbenchViews()
{
    static const std::vector<ViewSpec> views{
        view<DatasetsView>("datasets", QT_TRANSLATE_NOOP("Views", "Datasets")),
        view<BeamsView>("beams", QT_TRANSLATE_NOOP("Views", "Beam Inspector")),
        view<IdsView>("ids", QT_TRANSLATE_NOOP("Views", "IDs")),
        view<TrainingView>("training", QT_TRANSLATE_NOOP("Views", "Training")),
        view<CurvesView>("curves", QT_TRANSLATE_NOOP("Views", "Curves && Runs")),
    };
    return views;
}

const ViewSpec *findView(const QString &name)
{
    for (const ViewSpec &spec : workbenchViews()) {
        if (spec.name.compare(name, Qt::CaseInsensitive) == 0)
            return &spec;
    }
    return nullptr;
}

QStringList viewNames()
{
    QStringList names;
    for (const ViewSpec &spec : workbenchViews())
        names << spec.name;
    return names;
}

QString translatedViewTitle(const char *title)
{
    return QCoreApplication::translate("Views", title);
}

} // namespace idgen::ui
