#pragma once

#include "data/DemoVocabulary.h"

#include <string_view>
#include <vector>

namespace idgen::demo::teaching {

// One step of a department's routine. Steps are listed in the order shoppers take them
// (shampoo, conditioner, hair mask, hair oil; camera, memory card, tripod, camera bag), and the
// step's noun is what the title says, so the order can be read from the titles.
struct Step {
    std::string_view shelf; // third level of the category path
    std::string_view noun;  // product type in the title: "Memory Card" (no hyphens: a title ID splits them)
    Words variants;         // the title's tail after the comma: sizes, capacities, colours
    int minPrice;           // whole currency units
    int maxPrice;
};

// One department of the teaching shop: a routine of steps, the brands selling it and the words
// naming their product lines. Every item is one step of one line of one brand, titled
// "<Brand> <Line> <Noun>, <Variant>", so the words that link an item to the next one (brand,
// line, the routine's next noun) are the first words of its title.
struct Department {
    std::string_view name;
    std::string_view pattern; // the kind of rule its routine teaches, as datasets/demo.md names it
    int weight;               // relative share of the users who prefer it
    std::vector<Step> steps;
    // Where a shopper goes after the last step: the index of the step bought again (the refill,
    // the next season), or -1 when she starts another line of the brand (a new game, a new camera).
    int repeatStep;
    Words brands; // single words
    Words lines;  // single words; a brand's lines take consecutive words, so lines rarely share one
    Words features; // whole sentences for descriptions
    Words uses;     // closing sentences of a description
};

// The teaching shop's departments, fixed at compile time: changing a word changes every teaching
// demo dataset.
const std::vector<Department> &departments();

} // namespace idgen::demo::teaching
