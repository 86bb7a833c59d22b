#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// idgenrec baseline: pop, markov, sasrec-ce, sasrec-bce as runs of the project.
void addBaselineCommands(CLI::App &app);

} // namespace idgen::cli
