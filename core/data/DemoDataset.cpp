#include "data/DemoDataset.h"

#include "data/DemoCommon.h"
#include "data/DemoTeaching.h"
#include "data/DemoVocabulary.h"
#include "util/Error.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>
#include <unordered_set>

// Version 1 (classic) of the demo generator, the per-version sizes, and the assembly that turns
// either version's draft into a Dataset. Version 2 lives in DemoTeaching.cpp.

namespace idgen {
namespace {

using demo::DemoDraft;
using demo::DemoRandom;
using demo::kNone;
using demo::stream;
using demo::WeightedPicker;

constexpr std::int64_t kFirstTimestamp = 1672531200; // 2023-01-01 00:00:00 UTC
constexpr std::int64_t kDay = 86400;
constexpr std::size_t kComplements = 3;

struct CatalogItem {
    int category = 0;
    int subcategory = 0;
    int brand = 0;
    ItemFields fields;
    std::array<std::uint32_t, kComplements> complements{};
};

struct Catalog {
    std::vector<CatalogItem> items;
    std::vector<std::vector<std::uint32_t>> byCategory;
    std::vector<std::vector<std::vector<std::uint32_t>>> bySubcategory;
    std::vector<WeightedPicker> popularity; // per category, over byCategory
    std::vector<int> filledCategories;      // categories holding at least one item
};

const demo::Words &orFallback(const demo::Words &own, const demo::Words &fallback)
{
    return own.empty() ? fallback : own;
}

// Capitalised words of a phrase ("Dark Roast" -> Dark, Roast): two title parts sharing one reads
// like a stutter ("Daily Daily Sunscreen", "Cookware Set, Set of 2").
bool sharesWord(std::string_view a, std::string_view b)
{
    auto words = [](std::string_view text) {
        std::vector<std::string_view> out;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find_first_of(" ,", start);
            if (end == std::string_view::npos)
                end = text.size();
            const std::string_view word = text.substr(start, end - start);
            if (!word.empty() && !(word[0] >= 'a' && word[0] <= 'z') && word != "&")
                out.push_back(word);
            start = end + 1;
        }
        return out;
    };
    const auto left = words(a);
    for (const std::string_view word : words(b)) {
        if (std::find(left.begin(), left.end(), word) != left.end())
            return true;
    }
    return false;
}

std::string rawId(char prefix, std::size_t number)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%c%05zu", prefix, number);
    return buffer;
}

// Largest-remainder split of the catalog over the categories by weight, so counts are exact.
std::vector<std::size_t> categorySizes(std::size_t items)
{
    const auto &categories = demo::categories();
    std::uint64_t total = 0;
    for (const auto &category : categories)
        total += static_cast<std::uint64_t>(category.weight);
    std::vector<std::size_t> sizes(categories.size());
    std::vector<std::pair<std::uint64_t, std::size_t>> remainders;
    std::size_t assigned = 0;
    for (std::size_t c = 0; c < categories.size(); ++c) {
        const std::uint64_t share = items * static_cast<std::uint64_t>(categories[c].weight);
        sizes[c] = static_cast<std::size_t>(share / total);
        assigned += sizes[c];
        remainders.emplace_back(share % total, c);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (std::size_t i = 0; assigned < items; ++i, ++assigned)
        ++sizes[remainders[i].second];
    return sizes;
}

ItemFields describeItem(CatalogItem &item, DemoRandom &random, std::unordered_set<std::string> &titles)
{
    const demo::Category &category = demo::categories()[static_cast<std::size_t>(item.category)];
    const demo::Subcategory &shelf = category.subcategories[static_cast<std::size_t>(item.subcategory)];
    const demo::Words &adjectives = orFallback(shelf.adjectives, category.adjectives);
    const demo::Words &variants = orFallback(shelf.variants, category.variants);
    const demo::Words &features = orFallback(shelf.features, category.features);

    std::string title;
    std::string_view adjective;
    std::string_view noun;
    // A few tries for a title no other item has; a catalog larger than the vocabulary repeats some.
    for (int attempt = 0; attempt < 24; ++attempt) {
        item.brand = static_cast<int>(random.below(category.brands.size()));
        noun = random.pick(shelf.nouns);
        adjective = random.pick(adjectives);
        for (int retry = 0; retry < 8 && sharesWord(adjective, noun); ++retry)
            adjective = random.pick(adjectives);
        std::string_view variant = random.pick(variants);
        for (int retry = 0; retry < 8 && (sharesWord(variant, noun) || sharesWord(variant, adjective)); ++retry)
            variant = random.pick(variants);
        title = std::string(category.brands[static_cast<std::size_t>(item.brand)]) + " " + std::string(adjective) +
                " " + std::string(noun) + ", " + std::string(variant);
        if (titles.insert(title).second)
            break;
    }

    std::string description = std::string(adjective) + " " + std::string(noun) + " from " +
                              std::string(category.brands[static_cast<std::size_t>(item.brand)]) + ".";
    demo::appendTwoSentences(description, features, random);
    description += " " + std::string(random.pick(category.uses));

    const int minPrice = shelf.maxPrice > 0 ? shelf.minPrice : category.minPrice;
    const int maxPrice = shelf.maxPrice > 0 ? shelf.maxPrice : category.maxPrice;
    static const std::vector<std::uint64_t> cents = {99, 99, 99, 49, 95, 0};
    const double price = demo::shopPrice(minPrice, maxPrice, cents, random);

    ItemFields fields = ItemFields::object();
    fields["title"] = title;
    fields["brand"] = category.brands[static_cast<std::size_t>(item.brand)];
    fields["categories"] = ItemFields::array({"Demo Shop", category.name, shelf.name});
    fields["description"] = description;
    fields["price"] = price;
    return fields;
}

// Any item of the pool but `self`, or kNone when the pool holds nothing else.
std::uint32_t pickOther(const std::vector<std::uint32_t> &pool, std::uint32_t self, DemoRandom &random)
{
    if (pool.empty() || (pool.size() == 1 && pool.front() == self))
        return kNone;
    for (;;) {
        const std::uint32_t candidate = random.pick(pool);
        if (candidate != self)
            return candidate;
    }
}

// Each item leads to a few complements in its category: mostly the next shelf of the routine
// (cleanser -> serum), preferably of the same brand. These are the transitions a model can learn.
void linkComplements(Catalog &catalog, DemoRandom &random)
{
    for (std::uint32_t index = 0; index < catalog.items.size(); ++index) {
        CatalogItem &item = catalog.items[index];
        const auto &shelves = catalog.bySubcategory[static_cast<std::size_t>(item.category)];
        std::size_t next = static_cast<std::size_t>(item.subcategory);
        for (std::size_t step = 1; step <= shelves.size(); ++step) {
            next = (static_cast<std::size_t>(item.subcategory) + step) % shelves.size();
            if (!shelves[next].empty() && !(shelves[next].size() == 1 && shelves[next].front() == index))
                break;
        }
        std::vector<std::uint32_t> sameBrand;
        for (const std::uint32_t other : shelves[next]) {
            if (catalog.items[other].brand == item.brand && other != index)
                sameBrand.push_back(other);
        }
        const std::uint32_t fallbackPool = static_cast<std::uint32_t>(catalog.items.size());
        auto orAnything = [&](std::uint32_t chosen) {
            while (chosen == kNone || chosen == index)
                chosen = static_cast<std::uint32_t>(random.below(fallbackPool));
            return chosen;
        };
        const std::uint32_t first = sameBrand.empty() ? pickOther(shelves[next], index, random) : random.pick(sameBrand);
        item.complements[0] = orAnything(first);
        item.complements[1] = orAnything(pickOther(shelves[next], index, random));
        item.complements[2] = orAnything(pickOther(catalog.byCategory[static_cast<std::size_t>(item.category)], index, random));
    }
}

Catalog buildCatalog(std::uint64_t seed, const DemoSizes &options)
{
    const auto &categories = demo::categories();
    DemoRandom random = stream(seed, 1);
    const auto sizes = categorySizes(static_cast<std::size_t>(options.items));

    // Categories interleave in id order, as in a real shop's catalog.
    std::vector<int> order;
    for (std::size_t c = 0; c < sizes.size(); ++c)
        order.insert(order.end(), sizes[c], static_cast<int>(c));
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[random.below(i)]);

    Catalog catalog;
    catalog.items.resize(order.size());
    catalog.byCategory.resize(categories.size());
    catalog.bySubcategory.resize(categories.size());
    for (std::size_t c = 0; c < categories.size(); ++c)
        catalog.bySubcategory[c].resize(categories[c].subcategories.size());
    std::unordered_set<std::string> titles;
    for (std::uint32_t index = 0; index < order.size(); ++index) {
        CatalogItem &item = catalog.items[index];
        const auto c = static_cast<std::size_t>(order[index]);
        item.category = order[index];
        // Round robin over the shelves keeps every shelf stocked, even in a tiny catalog.
        item.subcategory = static_cast<int>(catalog.byCategory[c].size() % categories[c].subcategories.size());
        catalog.byCategory[c].push_back(index);
        catalog.bySubcategory[c][static_cast<std::size_t>(item.subcategory)].push_back(index);
        item.fields = describeItem(item, random, titles);
    }

    // Zipf-like popularity within each category.
    catalog.popularity.resize(categories.size());
    for (std::size_t c = 0; c < categories.size(); ++c) {
        const std::size_t count = catalog.byCategory[c].size();
        if (count == 0)
            continue;
        catalog.filledCategories.push_back(static_cast<int>(c));
        catalog.popularity[c] = demo::zipfPicker(count, 20, random);
    }
    linkComplements(catalog, random);
    return catalog;
}

struct Sequences {
    std::vector<std::vector<std::uint32_t>> items; // per user, catalog indices
    std::vector<std::vector<int>> affinity;        // per user, preferred categories
};

Sequences generateSequences(std::uint64_t seed, const DemoSizes &options, const Catalog &catalog)
{
    const auto &categories = demo::categories();
    DemoRandom random = stream(seed, 2);
    WeightedPicker categoryPicker;
    for (const int c : catalog.filledCategories)
        categoryPicker.add(static_cast<std::uint64_t>(categories[static_cast<std::size_t>(c)].weight));
    const std::uint64_t lengthSpan = static_cast<std::uint64_t>(options.maxSequence - options.minSequence) + 1;
    const std::uint32_t itemCount = static_cast<std::uint32_t>(catalog.items.size());
    auto popularIn = [&](int c) {
        const auto category = static_cast<std::size_t>(c);
        return catalog.byCategory[category][catalog.popularity[category].pick(random)];
    };

    Sequences out;
    out.items.resize(static_cast<std::size_t>(options.users));
    out.affinity.resize(static_cast<std::size_t>(options.users));
    for (std::size_t user = 0; user < out.items.size(); ++user) {
        // 1-3 preferred categories (40% / 40% / 20%), weighted 6:3:2.
        const std::uint64_t roll = random.below(10);
        const std::size_t wanted = std::min<std::size_t>(roll < 4 ? 1 : roll < 8 ? 2 : 3, catalog.filledCategories.size());
        std::vector<int> &affinity = out.affinity[user];
        while (affinity.size() < wanted) {
            const int c = catalog.filledCategories[categoryPicker.pick(random)];
            if (std::find(affinity.begin(), affinity.end(), c) == affinity.end())
                affinity.push_back(c);
        }
        static const std::array<std::uint64_t, 3> affinityWeights = {6, 3, 2};
        WeightedPicker preferred;
        for (std::size_t i = 0; i < affinity.size(); ++i)
            preferred.add(affinityWeights[i]);

        // Most users are short, a few long: the smaller of two draws.
        const std::size_t length = static_cast<std::size_t>(options.minSequence) +
                                   static_cast<std::size_t>(std::min(random.below(lengthSpan), random.below(lengthSpan)));
        std::vector<std::uint32_t> &sequence = out.items[user];
        sequence.reserve(length);
        sequence.push_back(popularIn(affinity[preferred.pick(random)]));
        while (sequence.size() < length) {
            const std::uint32_t current = sequence.back();
            const CatalogItem &item = catalog.items[current];
            std::uint32_t candidate = current;
            for (int attempt = 0; attempt < 8 && candidate == current; ++attempt) {
                const std::uint64_t step = random.below(1000);
                if (step < 550) {
                    const std::uint64_t which = random.below(10); // complements weighted 5:3:2
                    candidate = item.complements[which < 5 ? 0 : which < 8 ? 1 : 2];
                } else if (step < 750) {
                    candidate = popularIn(item.category);
                } else if (step < 950) {
                    candidate = popularIn(affinity[preferred.pick(random)]);
                } else {
                    candidate = static_cast<std::uint32_t>(random.below(itemCount)); // browsing noise
                }
            }
            while (candidate == current)
                candidate = static_cast<std::uint32_t>(random.below(itemCount));
            sequence.push_back(candidate);
        }
    }
    return out;
}

// Items no simulated user reached replace a position holding an item seen elsewhere too,
// preferably in a user who likes the item's category and next to an item of that category, so
// every item is in the dataset and the category signal stays intact.
void coverEveryItem(const Catalog &catalog, Sequences &sequences, DemoRandom &random)
{
    std::vector<std::uint32_t> seen(catalog.items.size(), 0);
    for (const auto &sequence : sequences.items)
        for (const std::uint32_t item : sequence)
            ++seen[item];
    std::vector<std::vector<std::size_t>> fans(demo::categories().size());
    for (std::size_t user = 0; user < sequences.items.size(); ++user)
        for (const int c : sequences.affinity[user])
            fans[static_cast<std::size_t>(c)].push_back(user);
    std::vector<std::size_t> cursor(fans.size(), 0);

    auto tryUser = [&](std::size_t user, std::uint32_t missing, bool sameCategoryOnly) {
        auto &sequence = sequences.items[user];
        const std::size_t offset = random.below(sequence.size());
        const int category = catalog.items[missing].category;
        for (std::size_t i = 0; i < sequence.size(); ++i) {
            const std::size_t position = (offset + i) % sequence.size();
            const std::uint32_t old = sequence[position];
            if (seen[old] < 2 || (sameCategoryOnly && catalog.items[old].category != category))
                continue;
            --seen[old];
            ++seen[missing];
            sequence[position] = missing; // `missing` was nowhere, so no immediate repeat appears
            return true;
        }
        return false;
    };

    for (std::uint32_t missing = 0; missing < catalog.items.size(); ++missing) {
        if (seen[missing] != 0)
            continue;
        const auto c = static_cast<std::size_t>(catalog.items[missing].category);
        bool placed = false;
        for (std::size_t tried = 0; tried < fans[c].size() && !placed; ++tried)
            placed = tryUser(fans[c][cursor[c]++ % fans[c].size()], missing, true);
        const std::size_t start = random.below(sequences.items.size());
        for (std::size_t i = 0; i < sequences.items.size() && !placed; ++i)
            placed = tryUser((start + i) % sequences.items.size(), missing, false);
        if (!placed)
            throw Error("internal: the demo sequences are too short to hold every item");
    }
}

void validate(const DemoSizes &options)
{
    if (options.items < 2)
        throw Error("the demo dataset needs at least 2 items (got " + std::to_string(options.items) + ")");
    if (options.users < 1)
        throw Error("the demo dataset needs at least 1 user (got " + std::to_string(options.users) + ")");
    if (options.minSequence < 1 || options.maxSequence < options.minSequence)
        throw Error("demo sequence lengths must satisfy 1 <= min <= max (got " + std::to_string(options.minSequence) +
                    ".." + std::to_string(options.maxSequence) + ")");
    // Every item must appear somewhere, and only the shortest possible sequences are guaranteed.
    if (static_cast<std::uint64_t>(options.users) * static_cast<std::uint64_t>(options.minSequence) <
        static_cast<std::uint64_t>(options.items))
        throw Error("the demo dataset's " + std::to_string(options.users) + " users with at least " +
                    std::to_string(options.minSequence) + " items each cannot cover " + std::to_string(options.items) +
                    " items; add users, lengthen the sequences or shrink the catalog");
}

// Version 1: the catalog, the users' walks, then every item placed somewhere.
DemoDraft draftClassicDemo(std::uint64_t seed, const DemoSizes &sizes)
{
    Catalog catalog = buildCatalog(seed, sizes);
    Sequences sequences = generateSequences(seed, sizes, catalog);
    DemoRandom coverage = stream(seed, 3);
    coverEveryItem(catalog, sequences, coverage);
    DemoDraft draft;
    draft.items.reserve(catalog.items.size());
    for (CatalogItem &item : catalog.items)
        draft.items.push_back(std::move(item.fields));
    draft.sequences = std::move(sequences.items);
    return draft;
}

// Dense indices and raw ids in order of first appearance, as an import of the same sequences
// would number them, and timestamps from the clock stream: the same for every version.
Dataset assemble(std::uint64_t seed, DemoDraft draft)
{
    std::vector<std::uint32_t> newIndex(draft.items.size(), kNone);
    Dataset dataset;
    DemoRandom clock = stream(seed, 4);
    dataset.sequenceOffsets.reserve(draft.sequences.size() + 1);
    dataset.sequenceOffsets.push_back(0);
    std::vector<std::uint32_t> order;
    order.reserve(draft.items.size());
    for (std::size_t user = 0; user < draft.sequences.size(); ++user) {
        dataset.userRawIds.push_back(rawId('U', user + 1));
        // Users start within the first year; each next purchase comes 30 minutes to 3 weeks later.
        std::int64_t time = kFirstTimestamp + static_cast<std::int64_t>(clock.below(365 * kDay));
        for (const std::uint32_t item : draft.sequences[user]) {
            if (newIndex[item] == kNone) {
                newIndex[item] = static_cast<std::uint32_t>(order.size());
                order.push_back(item);
            }
            dataset.sequenceItems.push_back(newIndex[item]);
            dataset.sequenceTimestamps.push_back(time);
            time += 1800 + static_cast<std::int64_t>(clock.below(21 * kDay));
        }
        dataset.sequenceOffsets.push_back(dataset.sequenceItems.size());
    }
    dataset.itemRawIds.reserve(order.size());
    dataset.itemFields.reserve(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        dataset.itemRawIds.push_back(rawId('D', i + 1));
        dataset.itemFields.push_back(std::move(draft.items[order[i]]));
    }

    ImportReport &report = dataset.report;
    report.format = "demo";
    report.interactionRows = dataset.sequenceItems.size();
    report.kcore = 0;
    report.metadataRecords = dataset.itemRawIds.size();
    report.itemsWithoutText = dataset.itemCount() - dataset.itemsWithText();
    return dataset;
}

} // namespace

DemoSizes demoSizes(const DemoOptions &options)
{
    DemoSizes defaults;
    if (options.version == 1)
        defaults = {3000, 4000, 5, 30};
    else if (options.version == 2)
        defaults = {640, 1400, 5, 15};
    else
        throw Error("unknown demo dataset version " + std::to_string(options.version) + " (1 or 2)");
    return {options.items.value_or(defaults.items), options.users.value_or(defaults.users),
            options.minSequence.value_or(defaults.minSequence), options.maxSequence.value_or(defaults.maxSequence)};
}

Dataset generateDemoDataset(const DemoOptions &options)
{
    const DemoSizes sizes = demoSizes(options);
    validate(sizes);
    if (options.version == 1)
        return assemble(options.seed, draftClassicDemo(options.seed, sizes));
    return assemble(options.seed, demo::draftTeachingDemo(options.seed, sizes));
}

} // namespace idgen
