#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// ids assign | schemes | export | list | show | remove | diff
void addIdCommands(CLI::App &app);

} // namespace idgen::cli
