#pragma once

#include "data/Dataset.h"

#include <string>
#include <vector>

namespace idgen {

// How item fields become the one plain string the models read (method.md section 1):
// "title: ...; brand: ...; categories: a, b; description: ...; price: ..." lower-cased.
struct ItemTextOptions {
    // Fields rendered first, in this order; then the remaining fields in their stored order.
    std::vector<std::string> order = {"title", "brand", "categories", "description", "price"};
    // Fields never rendered (links, ranks and ids carry no text a model should learn from).
    std::vector<std::string> exclude = {"url", "picture_url", "imurl", "imageurl", "imageurlhighres", "image",
                                        "related", "sales_rank", "salesrank", "sales_type", "asin", "item_id"};
    bool onlyListed = false;   // true: render the fields in `order` and nothing else
    bool lowercase = true;
    std::size_t maxChars = 0;  // 0: no limit; otherwise cut at a word boundary
};

std::string renderItemText(const ItemFields &fields, const ItemTextOptions &options = {});

} // namespace idgen
