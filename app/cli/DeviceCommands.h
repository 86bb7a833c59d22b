#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// `idgenrec info` (library versions, matmul speed) and `idgenrec check-device` (does a device
// compute what the CPU computes).
void addDeviceCommands(CLI::App &app);

} // namespace idgen::cli
