#pragma once

#include <QString>

#include <iosfwd>

namespace idgen::ui {

// Where the workbench keeps its demo project when started without a project:
// QStandardPaths::AppDataLocation/demo.idgenrec (the folder is created).
QString defaultDemoProjectPath();

// `idgenrec-workbench --headless-demo`: no window at all. Opens the project (with `createDemo`,
// creating it and its demo dataset when missing) and prints every dataset's summary to `out`;
// progress and errors go to `err`. Returns the process exit code.
int runHeadlessDemo(const QString &projectPath, bool createDemo, std::ostream &out, std::ostream &err);

} // namespace idgen::ui
