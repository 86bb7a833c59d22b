#pragma once

#include "support/TestSupport.h"
#include "train/distributed/ProcessGroupContext.h"

#include <QTest>

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

// A CLI command (with --json) run in one process, then as 2 ranks (--nproc 2): their outcome
// lines in `one` and `two`. Fails the current test unless both exit 0 and the 2-rank run is done
// (callers return when QTest::currentTestFailed()).
inline void runOnOneAndTwoRanks(const QStringList &command, int timeoutMs, nlohmann::json &one, nlohmann::json &two)
{
    const CliResult single = runCli(command, timeoutMs);
    QVERIFY2(single.code == 0, single.all().c_str());
    const CliResult pair = runCli(QStringList(command) << "--nproc" << "2", timeoutMs);
    QVERIFY2(pair.code == 0, pair.all().c_str());
    one = lastJsonLine(single.out);
    two = lastJsonLine(pair.out);
    QCOMPARE(two["status"].get<std::string>(), std::string("done"));
}

} // namespace idgen::test
