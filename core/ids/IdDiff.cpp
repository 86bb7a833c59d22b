#include "ids/IdDiff.h"

#include "data/Dataset.h"
#include "data/ItemText.h"
#include "ids/IdSnapshot.h"
#include "util/Error.h"

#include <algorithm>
#include <sstream>

namespace idgen {
std::vector<std::string> idWords(const std::string &text)
{
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string word; in >> word;)
        words.push_back(word);
    return words;
}

std::size_t wordEditDistance(const std::string &a, const std::string &b)
{
    const auto x = idWords(a);
    const auto y = idWords(b);
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[y.size()];
}

nlohmann::json IdDiff::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto &e : examples)
        list.push_back({{"item", e.item},       {"raw_id", e.rawId},   {"text", e.text},
                        {"old_id", e.oldId},    {"new_id", e.newId},   {"edit_words", e.editWords}});
    return {{"items", items},
            {"changed", changed},
            {"changed_fraction", changedFraction},
            {"mean_edit_words", meanEditWords},
            {"examples", list}};
}

IdDiff diffSnapshots(const Dataset &dataset, const IdSnapshot &from, const IdSnapshot &to, std::size_t examples)
{
    if (from.dataset != to.dataset)
        throw Error("snapshots " + std::to_string(from.id) + " and " + std::to_string(to.id) +
                    " belong to different datasets ('" + from.dataset + "', '" + to.dataset + "')");
    if (from.items.size() != to.items.size() || from.items.size() != dataset.itemCount())
        throw Error("snapshots " + std::to_string(from.id) + " and " + std::to_string(to.id) + " differ in item count");
    IdDiff diff;
    diff.items = from.items.size();
    double edits = 0.0;
    for (std::size_t i = 0; i < diff.items; ++i) {
        const std::string &oldId = from.items.texts[i];
        const std::string &newId = to.items.texts[i];
        if (oldId == newId)
            continue;
        ++diff.changed;
        const std::size_t distance = wordEditDistance(oldId, newId);
        edits += static_cast<double>(distance);
        if (diff.examples.size() < examples)
            diff.examples.push_back(
                {i, dataset.itemRawIds[i], renderItemText(dataset.itemFields[i]).substr(0, 80), oldId, newId, distance});
    }
    if (diff.items > 0) {
        diff.changedFraction = static_cast<double>(diff.changed) / static_cast<double>(diff.items);
        diff.meanEditWords = edits / static_cast<double>(diff.items);
    }
    return diff;
}

} // namespace idgen
