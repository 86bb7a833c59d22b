#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace idgen {

struct Dataset;
struct IdSnapshot;

// How item IDs moved between two snapshots of one dataset (e.g. two rounds of alternate
// training): how many changed, the mean word-level edit distance over all items, and examples.
struct IdDiff {
    struct Example {
        std::size_t item = 0;
        std::string rawId;
        std::string text; // the start of the item's rendered text
        std::string oldId;
        std::string newId;
        std::size_t editWords = 0;
    };
    std::size_t items = 0;
    std::size_t changed = 0;
    double changedFraction = 0.0;
    double meanEditWords = 0.0; // over all items, unchanged ones counting 0
    std::vector<Example> examples;

    // {"items", "changed", "changed_fraction", "mean_edit_words", "examples": [{item, raw_id, text, old_id, new_id}]}
    nlohmann::json toJson() const;
};

// Throws an Error when the snapshots belong to different datasets or sizes.
IdDiff diffSnapshots(const Dataset &dataset, const IdSnapshot &from, const IdSnapshot &to, std::size_t examples = 10);

// An ID's words, split on whitespace: the unit of every word-level comparison of IDs.
std::vector<std::string> idWords(const std::string &text);
// Levenshtein distance between the space-separated words of two IDs.
std::size_t wordEditDistance(const std::string &a, const std::string &b);

} // namespace idgen
