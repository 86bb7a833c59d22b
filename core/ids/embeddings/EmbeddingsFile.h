#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <string>
#include <vector>

namespace idgen {

// Reads a user-supplied item embedding matrix (`ids assign --embeddings FILE`), e.g. the
// Sentence-T5 or LLaMA embeddings TIGER and LETTER used, for the semantic-ID schemes. The format
// follows the extension:
//   .safetensors  one 2-D tensor (or one named "item_embeddings" or "embeddings"), any float dtype
//   .npy          a 2-D little-endian float32 or float64 array (C or Fortran order)
//   .csv / .tsv   `raw_id,v1,...,vD` lines in any order, one per item, an optional header line
// The matrix formats carry no ids: their rows are the dataset's items in its own order (item
// index 0, 1, ...: the order `idgenrec ids export` and LC-Rec's .index.json use), so the row count
// must equal the item count. Every value must be finite. Errors are InputErrors naming the file
// and the row (the line for CSV), and the raw id where there is one: a wrong row count, NaN or
// inf, an unknown, repeated or missing raw id, a row of another width.
// Returns float32 [items, D] in item-index order.
at::Tensor readItemEmbeddings(const std::filesystem::path &file, const std::vector<std::string> &itemRawIds);

} // namespace idgen
