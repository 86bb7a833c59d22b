#pragma once

#include "ids/IdSnapshot.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

// Items whose codes [items, levels] repeat an earlier item's, as a fraction of the items: LETTER's
// collision rate, (items - distinct code tuples) / items.
double collisionRate(const at::Tensor &codes);

// TIGER's extra code that makes semantic IDs unique: for each item, how many earlier items (in
// index order) have the same codes; 0 for every item without a collision.
std::vector<int> collisionCodes(const at::Tensor &codes);

// The code usage of every level of codes [items, levels] with `codesPerLevel` codes each.
std::vector<CodeUsage> codeUsagePerLevel(const at::Tensor &codes, std::int64_t codesPerLevel);

// The token of a code: "<a_3>" for code 3 of the first level, "<b_17>" for the second, ...
std::string semanticCodeToken(int level, std::int64_t code);

} // namespace idgen
