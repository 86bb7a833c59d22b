#pragma once

#include "train/distributed/ProcessGroupContext.h"

#include <chrono>
#include <future>

namespace idgen::test {

// Runs work(group) as ranks 0 and 1 of a 2-rank Gloo group over loopback, rank 1 on a thread of
// its own: what the data-parallel tests check without starting processes.
template <typename Work>
void onTwoRanks(int port, Work work)
{
    auto rank = [&](int r) {
        LaunchEnvironment environment;
        environment.masterPort = port;
        environment.rank = r;
        environment.worldSize = 2;
        ProcessGroupContext group(environment, std::chrono::seconds(30));
        work(group);
    };
    auto other = std::async(std::launch::async, rank, 1);
    rank(0);
    other.get();
}

} // namespace idgen::test
