#pragma once

#include <filesystem>
#include <string>

namespace idgen {

class T5Model;

// Writes a model as a Hugging Face folder, the layout `save_pretrained` produces: config.json,
// model.safetensors (float32, HF parameter names, the tied embedding stored once as
// "shared.weight", metadata format "pt" as transformers expects) and, when given, spiece.model.
// transformers' T5ForConditionalGeneration.from_pretrained and readHfModelFolder both load it, so
// a trained recommender can be taken to Python, and the published pipeline can be timed on the
// same weights (tests/bench/anchor_transformers_decode.py). Creates the folder; files are
// replaced atomically one by one.
void exportHfModel(const T5Model &model, const std::filesystem::path &folder, const std::string &spieceBytes = {});

} // namespace idgen
