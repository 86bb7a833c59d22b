#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// tokenizer train | encode | decode | import | list
void addTokenizerCommands(CLI::App &app);

} // namespace idgen::cli
