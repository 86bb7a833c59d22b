#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// bench model: training throughput and matmul rate of this machine (runtime/ModelBench.h).
void addBenchCommands(CLI::App &app);

} // namespace idgen::cli
