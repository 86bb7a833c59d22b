#pragma once

#include <string_view>
#include <vector>

namespace idgen::demo {

using Words = std::vector<std::string_view>;

// A shelf of a demo category. Empty lists fall back to the category's own, so only shelves whose
// products read differently (brewing gear next to coffee beans) need their own words.
struct Subcategory {
    std::string_view name;
    Words nouns = {};      // product types: "Vitamin C Serum"
    Words adjectives = {}; // "Hydrating"
    Words variants = {};   // the tail of a title: sizes, shades, scents, colours
    Words features = {};   // whole sentences for descriptions
    int minPrice = 0;      // whole currency units; 0: the category's range
    int maxPrice = 0;
};

// One department of the demo shop. Shelves are listed in the order a shopper tends to fill them
// (cleanser, serum, moisturizer, sunscreen), which the generator uses for complementary items.
struct Category {
    std::string_view name;
    int weight; // relative share of the catalog and of the users
    std::vector<Subcategory> subcategories;
    Words brands;
    Words adjectives;
    Words variants;
    Words features;
    Words uses; // closing sentences of a description
    int minPrice; // whole currency units
    int maxPrice;
};

// The shop's departments, fixed at compile time: changing a word changes every demo dataset.
const std::vector<Category> &categories();

} // namespace idgen::demo
