#pragma once

#include <string>
#include <vector>

namespace idgen {

// Targets for the ID generator's warm start (method.md section 1, first option): each item's
// `count` words of highest TF-IDF over the catalog, written in the order they first appear in its
// text. Words are lower-cased runs of letters and digits; field labels of the rendered text
// ("title", "brand", ...), English stop words and single characters never count. An item with no
// usable word gets an empty target.
std::vector<std::string> keywordTargets(const std::vector<std::string> &texts, int count);

// The words of a text that count above (also the terms of the LSA item embeddings).
std::vector<std::string> keywordWords(const std::string &text);

} // namespace idgen
