#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// `idgenrec train`, `resume`, `stop`, `runs` and `export metrics`: training runs in the project file.
void addTrainCommands(CLI::App &app);
// `idgenrec export metrics`, under the existing `export` command.
void addExportMetricsCommand(CLI::App &exportCommand);

} // namespace idgen::cli
