#include "ids/NumberIds.h"
#include "ids/schemes/Schemes.h"
#include "util/Error.h"

#include <limits>
#include <random>
#include <unordered_set>

namespace idgen {
namespace {

struct RandomIdOptions {
    std::uint64_t seed = 1;
    std::uint64_t range = 0; // numbers 1..range; 0: 1..items

    static RandomIdOptions read(const IdAssignmentOptions &options)
    {
        const SchemeOptionReader reader(options.schemeOptions);
        RandomIdOptions out;
        out.seed = static_cast<std::uint64_t>(reader.integer("seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
        out.range = static_cast<std::uint64_t>(reader.integer("range", 0, 0, std::int64_t(1) << 50));
        return out;
    }
    nlohmann::json toJson() const { return {{"seed", seed}, {"range", range}}; }
};

// P5's random indexing (RID): each item a seeded random number, written digit by digit like the
// sequential scheme, so the number says nothing about the item or its neighbours.
class RandomIdScheme final : public IdScheme {
public:
    std::string name() const override { return "random"; }
    std::string description() const override
    {
        return "P5's random IDs: each item a distinct seeded random number 1..range, one token per digit";
    }
    IdSchemeNeeds needs() const override { return {}; }
    std::vector<IdSchemeOption> options() const override
    {
        return {{"seed", "random seed (same seed, same IDs)", 1},
                {"range", "numbers drawn from 1..range (0: 1..items, a shuffle of the sequential numbers)", 0}};
    }
    nlohmann::json recordedOptions(const IdAssignmentOptions &options) const override
    {
        return RandomIdOptions::read(options).toJson();
    }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        const RandomIdOptions options = RandomIdOptions::read(input.options);
        const std::size_t items = input.dataset.itemCount();
        const std::uint64_t range = options.range == 0 ? items : options.range;
        if (range < items)
            throw Error("--range " + std::to_string(range) + " has fewer numbers than the " + std::to_string(items) +
                        " items");
        // mt19937_64 is the same everywhere; the modulo's bias is below 2^-13 for any range here.
        std::mt19937_64 rng(options.seed);
        std::vector<std::uint64_t> numbers;
        numbers.reserve(items);
        std::size_t redraws = 0;
        if (range == items) {
            // A shuffle of 1..items (Fisher-Yates): no number is drawn twice.
            for (std::size_t item = 0; item < items; ++item)
                numbers.push_back(item + 1);
            for (std::size_t i = items; i > 1; --i)
                std::swap(numbers[i - 1], numbers[rng() % i]);
        } else {
            // Draws in item index order; a number already taken is drawn again (counted).
            std::unordered_set<std::uint64_t> taken;
            taken.reserve(items);
            for (std::size_t item = 0; item < items; ++item) {
                std::uint64_t number = 1 + rng() % range;
                while (!taken.insert(number).second) {
                    ++redraws;
                    number = 1 + rng() % range;
                }
                numbers.push_back(number);
            }
        }
        stop.throwIfRequested();
        const DigitTokens digits(input.tokenizer);
        IdSnapshot snapshot;
        for (const std::uint64_t number : numbers)
            snapshot.items.push(std::to_string(number), digits.tokens(number));
        snapshot.items.computeShapeStats();
        snapshot.items.stats.order = "item index";
        snapshot.users = numberedUserIds(input.dataset, input.tokenizer);
        snapshot.record.collisionsBeforeDedup = redraws;
        snapshot.record.details = {{"range", range}, {"redraws", redraws}};
        events.progress(1.0, "user IDs");
        return snapshot;
    }
};

} // namespace

std::unique_ptr<IdScheme> makeRandomIdScheme()
{
    return std::make_unique<RandomIdScheme>();
}

} // namespace idgen
