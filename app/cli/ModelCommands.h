#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// `idgenrec model init` (a freshly initialised model checkpoint for a dataset's tokenizer) and
// `idgenrec model export-hf` (a checkpoint as a Hugging Face T5 folder).
void addModelCommands(CLI::App &app);

} // namespace idgen::cli
