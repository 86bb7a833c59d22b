#include "ids/schemes/cid/CooccurrenceGraph.h"

#include <algorithm>

namespace idgen {

CooccurrenceGraph CooccurrenceGraph::ofTrainingSplit(const Dataset &dataset, std::size_t window)
{
    const std::uint64_t n = dataset.itemCount();
    // Every ordered pair once per co-occurrence, as one key, then sorted and counted.
    std::vector<std::uint64_t> pairs;
    for (std::size_t user = 0; user < dataset.userCount(); ++user) {
        const auto sequence = dataset.sequence(user);
        const std::size_t train = sequence.size() > 2 ? sequence.size() - 2 : 0;
        for (std::size_t i = 0; i < train; ++i) {
            const std::size_t end = window == 0 ? train : std::min(train, i + window + 1);
            for (std::size_t j = i + 1; j < end; ++j) {
                const std::uint64_t a = sequence[i];
                const std::uint64_t b = sequence[j];
                if (a == b)
                    continue;
                pairs.push_back(a * n + b);
                pairs.push_back(b * n + a);
            }
        }
    }
    std::sort(pairs.begin(), pairs.end());
    CooccurrenceGraph graph;
    graph.items = n;
    graph.offsets.assign(n + 1, 0);
    for (std::size_t p = 0; p < pairs.size();) {
        std::size_t q = p;
        while (q < pairs.size() && pairs[q] == pairs[p])
            ++q;
        graph.neighbours.push_back(static_cast<std::uint32_t>(pairs[p] % n));
        graph.weights.push_back(static_cast<float>(q - p));
        ++graph.offsets[pairs[p] / n + 1];
        p = q;
    }
    for (std::size_t item = 0; item < n; ++item)
        graph.offsets[item + 1] += graph.offsets[item];
    return graph;
}

std::size_t CooccurrenceGraph::isolatedItems() const
{
    std::size_t isolated = 0;
    for (std::size_t item = 0; item < items; ++item)
        isolated += offsets[item + 1] == offsets[item] ? 1 : 0;
    return isolated;
}

} // namespace idgen
