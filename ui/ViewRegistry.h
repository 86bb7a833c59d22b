#pragma once

// The views of the workbench window, one tab each, in tab order.
//
// ADDING A VIEW (e.g. the beam inspector, "beams", or the IDs view, "ids"):
//  1. Derive it from ContextView (views/ContextView.h) with the constructor
//       MyView(ProjectContext &context, JobRunner &jobs, QWidget *parent)
//     and implement contextChanged(ContextChanges what): read what the current dataset /
//     snapshot / run / user (context().dataset(), .snapshot(), .run(), .user()) needs when the
//     matching ContextChange flag is set. Read through context().database() on the GUI thread
//     only for quick queries; long work goes to jobs() (a JobRunner job opens its own Database)
//     or a BackgroundReader. Report failures with reportError(summary, message, details).
//     Change the selection for every view with context().setSnapshot(...), setRun(...), setUser(...).
//  2. Add ONE line to the list in views/WorkbenchViews.cpp (and its #include):
//       view<BeamsView>("beams", QT_TRANSLATE_NOOP("Views", "Beam Inspector")),
//     The name is what `idgenrec-workbench PROJECT --view NAME` takes; the title is the tab's.
//  3. Screenshot command (`--view NAME --screenshot FILE.png [--run R] [--snapshot S] [--user RAW]`):
//     the command makes what --run/--snapshot/--user name current, then calls the view's
//     prepareScreenshot(request). Override it to choose what the request leaves out: the default
//     picks the newest run of the current dataset, else its newest snapshot; the beam inspector
//     should also pick a user with a stored trace when request.user is empty (context().setUser).
//     While the view still reads or decodes, isBusy() must return true (emit busyChanged on
//     each flip): the command saves the window once no view is busy and no job runs.
//  4. Test it in a tests/gui file of your own (the screenshot command: runScreenshot() in
//     ui/Screenshot.h runs it in-process).

#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

class QWidget;

namespace idgen::ui {

class ContextView;
class JobRunner;
class ProjectContext;

struct ViewSpec {
    QString name;  // lower case, what --view takes: "curves"
    QString title; // the tab's text, translated
    std::function<ContextView *(ProjectContext &, JobRunner &, QWidget *parent)> create;
};

// Every view, in tab order (views/WorkbenchViews.cpp).
const std::vector<ViewSpec> &workbenchViews();
// Null when no view has that name (case-insensitive).
const ViewSpec *findView(const QString &name);
QStringList viewNames();
QString translatedViewTitle(const char *title);

// A ViewSpec for a ContextView subclass with the constructor above; `title` is translated in the
// "Views" context (mark it with QT_TRANSLATE_NOOP("Views", ...)).
template <class View>
ViewSpec view(const char *name, const char *title)
{
    return ViewSpec{QString::fromLatin1(name), translatedViewTitle(title),
                    [](ProjectContext &context, JobRunner &jobs, QWidget *parent) -> ContextView * {
                        return new View(context, jobs, parent);
                    }};
}

} // namespace idgen::ui
