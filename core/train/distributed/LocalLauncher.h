#pragma once

#include <optional>
#include <string>
#include <vector>

namespace idgen {

class JobEvents;

// `idgenrec train ... --nproc N`: this binary started N times as ranks 0..N-1 of one data-parallel
// group on this machine, with torchrun's environment (MASTER_ADDR=127.0.0.1, a free MASTER_PORT,
// RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE; IDGEN_THREADS = cores / N unless set, as torchrun
// sets OMP_NUM_THREADS). The launcher watches its children: when one fails, the others get
// `graceSeconds` to notice through their collectives (rank 0 then checkpoints and marks the run
// interrupted), then SIGTERM, then SIGKILL. SIGTERM to the launcher is passed on (each rank then
// stops at the next step, checkpointed); Ctrl-C reaches the ranks from the terminal itself.
struct LocalLaunch {
    int processes = 2;
    std::vector<std::string> arguments; // the ranks' arguments (argv[1..])
    std::string executable = "/proc/self/exe";
    double graceSeconds = 30.0;
};

// Returns 0 when every rank ended with 0, else the first failure's exit status (128 + signal for
// a rank killed by a signal), after logging which rank failed and how.
int launchLocalRanks(const LocalLaunch &launch, JobEvents &events);

// What every data-parallel command (train, resume, baseline, ids assign) does with `--nproc N`:
// with N > 1 and no torchrun environment yet, this process launches N ranks of its own command
// line (without --nproc) and returns their exit status (0: all ended well); nullopt when this
// process does the work itself (N == 1, or WORLD_SIZE set: it is a rank). Throws for N < 1.
std::optional<int> launchRanksIfAsked(int nproc, JobEvents &events);

// This process's own arguments (argv[1..], from /proc/self/cmdline) without `option` and its
// value (`--nproc 2` or `--nproc=2`): what the launched ranks run.
std::vector<std::string> ownArgumentsWithout(const std::string &option);

} // namespace idgen
