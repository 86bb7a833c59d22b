#include "data/DemoTeaching.h"

#include "data/DemoTeachingVocabulary.h"
#include "util/Error.h"

#include <algorithm>
#include <string>

namespace idgen::demo {
namespace {

using teaching::Department;
using teaching::Step;

// The next-item rules, in per cent (datasets/demo.md explains them). What is left after the
// bestsellers (10 %) is an item drawn uniformly: 20 % of next items are noise in all.
constexpr std::uint64_t kFollowRoutine = 55;  // the line's next step, its refill, next season or next game
constexpr std::uint64_t kSameLine = 10;       // any other step of the same line
constexpr std::uint64_t kFavouriteBrand = 15; // a line of one of the user's one or two brands
constexpr std::uint64_t kBestseller = 10;     // noise: a bestseller anywhere in the shop
constexpr std::uint64_t kSecondBrand = 35;    // users with a second favourite brand
constexpr std::uint64_t kRivalBrand = 60;     // ... taken from the first brand's department
constexpr std::uint64_t kStartAtFirstStep = 70;

struct Line {
    std::uint32_t department = 0;
    std::uint32_t brand = 0;
    std::vector<std::uint32_t> items; // by step; the catalog's last line may stop early
};

struct Favourite {
    std::uint32_t department = 0;
    std::uint32_t brand = 0;
};

struct Catalog {
    std::vector<ItemFields> fields;
    std::vector<std::uint32_t> lineOf; // per item
    std::vector<std::uint32_t> stepOf; // per item
    std::vector<Line> lines;
    std::vector<std::vector<std::vector<std::uint32_t>>> brandLines; // [department][brand] -> lines
    std::vector<std::vector<WeightedPicker>> linePopularity;          // [department][brand], over brandLines
    std::vector<std::vector<std::uint32_t>> stockedBrands;            // [department] -> brands with a line
    std::vector<WeightedPicker> brandPopularity;                      // [department], over stockedBrands
    std::vector<std::uint32_t> stockedDepartments;
    WeightedPicker departmentPicker; // by the departments' weights, over stockedDepartments
    WeightedPicker bestsellers;      // over all items
};

// The rule in the words of a shop page, so the description teaches it too.
std::string goesWith(const Department &department, const std::string &line, std::size_t step)
{
    std::size_t next = step + 1;
    if (next == department.steps.size()) {
        if (department.repeatStep < 0)
            return "Completes the " + line + " collection.";
        next = static_cast<std::size_t>(department.repeatStep);
    }
    return "Pairs with the " + line + " " + std::string(department.steps[next].noun) + ".";
}

ItemFields describeItem(const Department &department, std::size_t brand, std::string_view lineWord, std::size_t step,
                        DemoRandom &random)
{
    const Step &shelf = department.steps[step];
    const std::string brandName(department.brands[brand]);
    const std::string line = brandName + " " + std::string(lineWord);
    std::string description = std::string(shelf.noun) + " from the " + line + " line.";
    appendTwoSentences(description, department.features, random);
    description += " " + goesWith(department, line, step);
    description += " " + std::string(random.pick(department.uses));

    ItemFields fields = ItemFields::object();
    fields["title"] = line + " " + std::string(shelf.noun) + ", " + std::string(random.pick(shelf.variants));
    fields["brand"] = brandName;
    fields["categories"] = ItemFields::array({"Demo Shop", department.name, shelf.shelf});
    fields["description"] = description;
    // Endings rich in 6, 7 and 8: prices are the only digits of most item texts, and a tokenizer
    // trained on a tiny catalog drops a digit that is too rare (coverage 0.9995), which numeric
    // item IDs cannot do without.
    static const std::vector<std::uint64_t> cents = {99, 49, 95, 69, 79, 89, 69, 79, 89, 50};
    fields["price"] = shopPrice(shelf.minPrice, shelf.maxPrice, cents, random);
    return fields;
}

// Lines are stocked round by round (the first line of every brand, then the second, ...) with the
// departments turning fastest, so even a tiny catalog has every department and brands stay even.
// A brand's lines take consecutive line words from its own offset, so up to lines/brands lines
// per brand no two lines of a department share a word.
void stockLines(Catalog &catalog, std::size_t itemCount, DemoRandom &random)
{
    const auto &departments = teaching::departments();
    catalog.brandLines.resize(departments.size());
    std::size_t maxBrands = 0;
    std::size_t maxLines = 0;
    for (std::size_t d = 0; d < departments.size(); ++d) {
        catalog.brandLines[d].resize(departments[d].brands.size());
        maxBrands = std::max(maxBrands, departments[d].brands.size());
        maxLines = std::max(maxLines, departments[d].lines.size());
    }
    for (std::size_t l = 0; l < maxLines && catalog.fields.size() < itemCount; ++l) {
        for (std::size_t b = 0; b < maxBrands && catalog.fields.size() < itemCount; ++b) {
            for (std::size_t d = 0; d < departments.size() && catalog.fields.size() < itemCount; ++d) {
                const Department &department = departments[d];
                if (b >= department.brands.size() || l >= department.lines.size())
                    continue;
                const auto lineIndex = static_cast<std::uint32_t>(catalog.lines.size());
                const std::size_t wordsPerBrand = std::max<std::size_t>(1, department.lines.size() / department.brands.size());
                const std::string_view word = department.lines[(b * wordsPerBrand + l) % department.lines.size()];
                Line line{static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(b), {}};
                for (std::size_t s = 0; s < department.steps.size() && catalog.fields.size() < itemCount; ++s) {
                    line.items.push_back(static_cast<std::uint32_t>(catalog.fields.size()));
                    catalog.lineOf.push_back(lineIndex);
                    catalog.stepOf.push_back(static_cast<std::uint32_t>(s));
                    catalog.fields.push_back(describeItem(department, b, word, s, random));
                }
                catalog.lines.push_back(std::move(line));
                catalog.brandLines[d][b].push_back(lineIndex);
            }
        }
    }
}

Catalog buildCatalog(std::uint64_t seed, std::size_t itemCount)
{
    const auto &departments = teaching::departments();
    DemoRandom random = stream(seed, 1);
    Catalog catalog;
    stockLines(catalog, itemCount, random);

    // Popularity: Zipf-like over a brand's lines, a department's brands and the whole shop.
    catalog.linePopularity.resize(departments.size());
    catalog.stockedBrands.resize(departments.size());
    catalog.brandPopularity.resize(departments.size());
    for (std::size_t d = 0; d < departments.size(); ++d) {
        catalog.linePopularity[d].resize(catalog.brandLines[d].size());
        for (std::size_t b = 0; b < catalog.brandLines[d].size(); ++b) {
            if (catalog.brandLines[d][b].empty())
                continue;
            catalog.stockedBrands[d].push_back(static_cast<std::uint32_t>(b));
            catalog.linePopularity[d][b] = zipfPicker(catalog.brandLines[d][b].size(), 100, random);
        }
        if (catalog.stockedBrands[d].empty())
            continue;
        catalog.brandPopularity[d] = zipfPicker(catalog.stockedBrands[d].size(), 250, random);
        catalog.stockedDepartments.push_back(static_cast<std::uint32_t>(d));
        catalog.departmentPicker.add(static_cast<std::uint64_t>(departments[d].weight));
    }
    catalog.bestsellers = zipfPicker(catalog.fields.size(), 20, random);
    return catalog;
}

std::uint32_t pickDepartment(const Catalog &catalog, DemoRandom &random)
{
    return catalog.stockedDepartments[catalog.departmentPicker.pick(random)];
}

std::uint32_t pickBrand(const Catalog &catalog, std::uint32_t department, DemoRandom &random)
{
    return catalog.stockedBrands[department][catalog.brandPopularity[department].pick(random)];
}

std::uint32_t pickLine(const Catalog &catalog, Favourite favourite, DemoRandom &random)
{
    const auto &lines = catalog.brandLines[favourite.department][favourite.brand];
    return lines[catalog.linePopularity[favourite.department][favourite.brand].pick(random)];
}

// One brand, and for some users a second one: a rival in the same department or a brand of
// another department.
std::vector<Favourite> chooseFavourites(const Catalog &catalog, DemoRandom &random)
{
    const std::uint32_t department = pickDepartment(catalog, random);
    std::vector<Favourite> favourites = {{department, pickBrand(catalog, department, random)}};
    if (random.below(100) >= kSecondBrand)
        return favourites;
    const Favourite first = favourites.front();
    Favourite second = first;
    for (int attempt = 0; attempt < 8 && second.department == first.department && second.brand == first.brand; ++attempt) {
        second.department = random.below(100) < kRivalBrand ? department : pickDepartment(catalog, random);
        second.brand = pickBrand(catalog, second.department, random);
    }
    if (second.department != first.department || second.brand != first.brand)
        favourites.push_back(second);
    return favourites;
}

// The first brand twice as often as the second.
Favourite pickFavourite(const std::vector<Favourite> &favourites, DemoRandom &random)
{
    return favourites.size() == 1 || random.below(3) < 2 ? favourites.front() : favourites.back();
}

// The routine's next item: the line's next step; after the last one the step bought again (the
// refill, next season's piece) or, for a series, the first item of another line of the brand.
// kNone where the line was cut short by the catalog's end or the brand has no other line.
std::uint32_t routineNext(const Catalog &catalog, std::uint32_t item, DemoRandom &random)
{
    const std::uint32_t lineIndex = catalog.lineOf[item];
    const Line &line = catalog.lines[lineIndex];
    const Department &department = teaching::departments()[line.department];
    const std::size_t next = catalog.stepOf[item] + std::size_t(1);
    if (next < line.items.size())
        return line.items[next];
    if (next < department.steps.size())
        return kNone;
    if (department.repeatStep >= 0)
        return line.items[static_cast<std::size_t>(department.repeatStep)];
    for (int attempt = 0; attempt < 8; ++attempt) {
        const std::uint32_t other = pickLine(catalog, {line.department, line.brand}, random);
        if (other != lineIndex)
            return catalog.lines[other].items.front();
    }
    return kNone;
}

std::uint32_t nextItem(const Catalog &catalog, const std::vector<Favourite> &favourites, std::uint32_t current,
                       DemoRandom &random)
{
    const std::uint64_t roll = random.below(100);
    if (roll < kFollowRoutine)
        return routineNext(catalog, current, random);
    if (roll < kFollowRoutine + kSameLine) {
        const Line &line = catalog.lines[catalog.lineOf[current]];
        return line.items[random.below(line.items.size())];
    }
    if (roll < kFollowRoutine + kSameLine + kFavouriteBrand) {
        // Back to a favourite brand: a line's first step, or the step the user is at (another
        // line's shampoo after this one's).
        const Line &line = catalog.lines[pickLine(catalog, pickFavourite(favourites, random), random)];
        const std::size_t step = random.below(2) == 0 ? 0 : catalog.stepOf[current];
        return line.items[std::min(step, line.items.size() - 1)];
    }
    if (roll < kFollowRoutine + kSameLine + kFavouriteBrand + kBestseller)
        return static_cast<std::uint32_t>(catalog.bestsellers.pick(random));
    return static_cast<std::uint32_t>(random.below(catalog.fields.size()));
}

std::vector<std::vector<std::uint32_t>> walkUsers(std::uint64_t seed, const DemoSizes &sizes, const Catalog &catalog)
{
    DemoRandom random = stream(seed, 2);
    const auto lengthSpan = static_cast<std::uint64_t>(sizes.maxSequence - sizes.minSequence) + 1;
    std::vector<std::vector<std::uint32_t>> sequences(static_cast<std::size_t>(sizes.users));
    for (auto &sequence : sequences) {
        const std::vector<Favourite> favourites = chooseFavourites(catalog, random);
        const std::size_t length = static_cast<std::size_t>(sizes.minSequence) + random.below(lengthSpan);
        sequence.reserve(length);
        // Most users start a line of their brand at its first step (the shampoo, the camera).
        const Line &first = catalog.lines[pickLine(catalog, favourites.front(), random)];
        sequence.push_back(random.below(100) < kStartAtFirstStep ? first.items.front()
                                                                  : first.items[random.below(first.items.size())]);
        while (sequence.size() < length) {
            const std::uint32_t current = sequence.back();
            std::uint32_t candidate = kNone;
            for (int attempt = 0; attempt < 8 && (candidate == kNone || candidate == current); ++attempt)
                candidate = nextItem(catalog, favourites, current, random);
            while (candidate == kNone || candidate == current)
                candidate = static_cast<std::uint32_t>(random.below(catalog.fields.size()));
            sequence.push_back(candidate);
        }
    }
    return sequences;
}

// Items no walk reached take the place of an item seen elsewhere too, preferably right after the
// step before them in their own line (where the routine would have put them), else after another
// item of their line, so every item is in the dataset and the text signal stays intact.
void coverEveryItem(const Catalog &catalog, std::vector<std::vector<std::uint32_t>> &sequences, DemoRandom &random)
{
    std::vector<std::uint32_t> seen(catalog.fields.size(), 0);
    for (const auto &sequence : sequences)
        for (const std::uint32_t item : sequence)
            ++seen[item];
    for (std::uint32_t missing = 0; missing < seen.size(); ++missing) {
        if (seen[missing] != 0)
            continue;
        const std::uint32_t line = catalog.lineOf[missing];
        const std::uint32_t step = catalog.stepOf[missing];
        const std::uint32_t before = step > 0 ? catalog.lines[line].items[step - 1] : kNone;
        int bestScore = -1;
        std::size_t bestUser = 0;
        std::size_t bestPosition = 0;
        const std::size_t start = random.below(sequences.size());
        for (std::size_t k = 0; k < sequences.size() && bestScore < 2; ++k) {
            const std::size_t user = (start + k) % sequences.size();
            const auto &sequence = sequences[user];
            for (std::size_t i = 0; i < sequence.size() && bestScore < 2; ++i) {
                if (seen[sequence[i]] < 2)
                    continue;
                const std::uint32_t previous = i > 0 ? sequence[i - 1] : kNone;
                const int score = previous == kNone ? 0 : previous == before ? 2 : catalog.lineOf[previous] == line ? 1 : 0;
                if (score > bestScore) {
                    bestScore = score;
                    bestUser = user;
                    bestPosition = i;
                }
            }
        }
        if (bestScore < 0)
            throw Error("internal: the demo sequences are too short to hold every item");
        --seen[sequences[bestUser][bestPosition]];
        ++seen[missing];
        sequences[bestUser][bestPosition] = missing; // `missing` was nowhere, so no immediate repeat appears
    }
}

} // namespace

int teachingCapacity()
{
    std::size_t total = 0;
    for (const Department &department : teaching::departments())
        total += department.brands.size() * department.lines.size() * department.steps.size();
    return static_cast<int>(total);
}

DemoDraft draftTeachingDemo(std::uint64_t seed, const DemoSizes &sizes)
{
    if (sizes.items > teachingCapacity())
        throw Error("the teaching demo dataset (version 2) holds at most " + std::to_string(teachingCapacity()) +
                    " items, not " + std::to_string(sizes.items) + "; version 1 makes larger catalogs");
    Catalog catalog = buildCatalog(seed, static_cast<std::size_t>(sizes.items));
    DemoDraft draft;
    draft.sequences = walkUsers(seed, sizes, catalog);
    DemoRandom coverage = stream(seed, 3);
    coverEveryItem(catalog, draft.sequences, coverage);
    draft.items = std::move(catalog.fields);
    return draft;
}

} // namespace idgen::demo
