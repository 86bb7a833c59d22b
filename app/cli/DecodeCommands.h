#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// `idgenrec decode`: one user's constrained beam search, optionally traced.
void addDecodeCommands(CLI::App &app);

} // namespace idgen::cli
