#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// import, datasets, stats, export sequences, demo
void addDatasetCommands(CLI::App &app);

} // namespace idgen::cli
