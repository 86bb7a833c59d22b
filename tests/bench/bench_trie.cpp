// Builds the prefix trie of a generated catalog (default 1,000,000 IDs of 2-8 tokens over a
// 32,128-token vocabulary, first tokens skewed so that IDs share prefixes) and reports build time,
// node count, the trie's own memory and the process's peak RSS. Goal: < 5 s and < 200 MB for 1M.
//   build/bin/bench_trie [items] [vocab]
#include "decode/PrefixTrie.h"
#include "util/Clock.h"

#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

double peakRssMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::size_t items = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const int vocab = argc > 2 ? std::atoi(argv[2]) : 32128;
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> length(2, 8);
    std::uniform_int_distribution<std::int32_t> word(3, vocab - 1);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<std::vector<std::int32_t>> ids(items);
    for (std::size_t i = 0; i < items; ++i) {
        auto &id = ids[i];
        id.resize(static_cast<std::size_t>(length(rng)));
        id[0] = 3 + static_cast<std::int32_t>(std::pow(unit(rng), 3.0) * 2000.0);
        for (std::size_t t = 1; t < id.size(); ++t)
            id[t] = word(rng);
        // Make every ID unique without a set: the last token spells the index in base (vocab - 3).
        id.push_back(3 + static_cast<std::int32_t>(i % static_cast<std::size_t>(vocab - 3)));
        id.push_back(3 + static_cast<std::int32_t>(i / static_cast<std::size_t>(vocab - 3)));
    }
    const double inputRss = peakRssMiB();
    const idgen::Stopwatch watch;
    const idgen::PrefixTrie trie = idgen::PrefixTrie::build(ids, 1);
    const double seconds = watch.seconds();
    std::printf("{\"items\": %zu, \"nodes\": %zu, \"max_depth\": %zu, \"build_seconds\": %.3f, "
                "\"trie_mib\": %.1f, \"peak_rss_mib\": %.1f, \"rss_before_build_mib\": %.1f}\n",
                items, trie.nodeCount(), trie.stats().maxDepth, seconds,
                static_cast<double>(trie.stats().memoryBytes) / 1048576.0, peakRssMiB(), inputRss);
    return 0;
}
