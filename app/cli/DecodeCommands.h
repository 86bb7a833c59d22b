#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// `idgenrec decode` (one user's constrained beam search, optionally traced) and
// `idgenrec model init` (a freshly initialised model checkpoint for a dataset's tokenizer).
void addDecodeCommands(CLI::App &app);

} // namespace idgen::cli
