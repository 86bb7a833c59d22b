#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// ids assign | export | list | show | remove
void addIdCommands(CLI::App &app);

} // namespace idgen::cli
