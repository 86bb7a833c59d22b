#include "train/distributed/LocalLauncher.h"

#include "jobs/JobEvents.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

namespace idgen {
namespace {

std::atomic<bool> g_terminate{false};

void launcherOnTerminate(int)
{
    g_terminate = true;
}

void launcherOnInterrupt(int) {}

// This process's environment with `overrides` (KEY=VALUE) replacing or adding variables, built
// before fork: the child only calls execve (a forked child of a threaded process must not allocate).
std::vector<std::string> environmentWith(const std::vector<std::string> &overrides)
{
    std::vector<std::string> out;
    for (char **entry = environ; *entry; ++entry) {
        const std::string variable(*entry);
        const std::string key = variable.substr(0, variable.find('=') + 1);
        bool replaced = false;
        for (const auto &o : overrides)
            replaced = replaced || o.rfind(key, 0) == 0;
        if (!replaced)
            out.push_back(variable);
    }
    out.insert(out.end(), overrides.begin(), overrides.end());
    return out;
}

// A port the kernel says is free now (bind to port 0); rank 0's TCPStore binds it moments later.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw Error(std::string("launch: cannot open a socket to find a free port: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
    ::close(fd);
    if (!ok)
        throw Error(std::string("launch: cannot find a free port on 127.0.0.1: ") + std::strerror(errno));
    return ntohs(address.sin_port);
}

std::string describeStatus(int status)
{
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

int exitCodeOf(int status)
{
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

pid_t startRank(const LocalLaunch &launch, int rank, int port)
{
    std::vector<std::string> environment = {
        "MASTER_ADDR=127.0.0.1",
        "MASTER_PORT=" + std::to_string(port),
        "WORLD_SIZE=" + std::to_string(launch.processes),
        "RANK=" + std::to_string(rank),
        "LOCAL_RANK=" + std::to_string(rank),
        "LOCAL_WORLD_SIZE=" + std::to_string(launch.processes),
    };
    if (!std::getenv("IDGEN_THREADS")) {
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        environment.push_back("IDGEN_THREADS=" +
                              std::to_string(std::max(1u, cores / static_cast<unsigned>(launch.processes))));
    }
    const std::vector<std::string> variables = environmentWith(environment);
    std::vector<char *> envp;
    for (const auto &variable : variables)
        envp.push_back(const_cast<char *>(variable.c_str()));
    envp.push_back(nullptr);
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(launch.executable.c_str()));
    for (const auto &argument : launch.arguments)
        argv.push_back(const_cast<char *>(argument.c_str()));
    argv.push_back(nullptr);
    static constexpr char kExecFailed[] = "launch: cannot run this binary again (execve failed)\n";
    const pid_t pid = ::fork();
    if (pid < 0)
        throw Error(std::string("launch: fork failed: ") + std::strerror(errno));
    if (pid == 0) { // caught signals return to their defaults across execve
        ::execve(launch.executable.c_str(), argv.data(), envp.data());
        (void)!::write(2, kExecFailed, sizeof kExecFailed - 1);
        ::_exit(127);
    }
    return pid;
}

void signalAll(const std::vector<pid_t> &pids, const std::vector<bool> &running, int signal)
{
    for (std::size_t r = 0; r < pids.size(); ++r)
        if (running[r])
            ::kill(pids[r], signal);
}

} // namespace

int launchLocalRanks(const LocalLaunch &launch, JobEvents &events)
{
    if (launch.processes < 1)
        throw Error("--nproc must be at least 1");
    const int port = freePort();
    struct sigaction terminate {};
    terminate.sa_handler = launcherOnTerminate;
    struct sigaction interrupt {};
    interrupt.sa_handler = launcherOnInterrupt; // the terminal sends Ctrl-C to the ranks themselves
    struct sigaction previousTerm {};
    struct sigaction previousInt {};
    ::sigaction(SIGTERM, &terminate, &previousTerm);
    ::sigaction(SIGINT, &interrupt, &previousInt);

    std::vector<pid_t> pids;
    std::vector<bool> running;
    for (int rank = 0; rank < launch.processes; ++rank) {
        pids.push_back(startRank(launch, rank, port));
        running.push_back(true);
    }
    events.log("started " + std::to_string(launch.processes) + " ranks on 127.0.0.1:" + std::to_string(port));

    using Clock = std::chrono::steady_clock;
    std::optional<int> failure;
    constexpr Clock::time_point never = Clock::time_point::max();
    Clock::time_point termAt = never; // when the survivors of a failure get SIGTERM, then SIGKILL
    Clock::time_point killAt = never;
    bool forwarded = false;
    int left = launch.processes;
    while (left > 0) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            for (std::size_t r = 0; r < pids.size(); ++r) {
                if (pids[r] != pid || !running[r])
                    continue;
                running[r] = false;
                --left;
                const bool failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
                if (failed && !failure) {
                    failure = exitCodeOf(status);
                    events.log("rank " + std::to_string(r) + " (pid " + std::to_string(pid) + ") " +
                               describeStatus(status) + "; the other ranks end too");
                    termAt = Clock::now() + std::chrono::milliseconds(static_cast<long>(launch.graceSeconds * 1000));
                }
            }
            continue;
        }
        if (g_terminate && !forwarded) {
            // A SIGTERM to the launcher (timeout, a scheduler) is passed on so every rank stops
            // at a step boundary; Ctrl-C from a terminal already reached the whole process group.
            signalAll(pids, running, SIGTERM);
            forwarded = true;
        }
        const auto now = Clock::now();
        if (now >= termAt) {
            signalAll(pids, running, SIGTERM);
            termAt = never;
            killAt = now + std::chrono::seconds(10);
        }
        if (now >= killAt) {
            signalAll(pids, running, SIGKILL);
            killAt = never;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::sigaction(SIGTERM, &previousTerm, nullptr);
    ::sigaction(SIGINT, &previousInt, nullptr);
    return failure.value_or(0);
}

std::optional<int> launchRanksIfAsked(int nproc, JobEvents &events)
{
    if (nproc < 1)
        throw Error("--nproc must be at least 1");
    if (nproc == 1 || LaunchEnvironment::fromEnvironment())
        return std::nullopt;
    LocalLaunch launch;
    launch.processes = nproc;
    launch.arguments = ownArgumentsWithout("--nproc");
    return launchLocalRanks(launch, events);
}

std::vector<std::string> ownArgumentsWithout(const std::string &option)
{
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    if (!in)
        throw Error("launch: cannot read /proc/self/cmdline (data-parallel launch needs Linux)");
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> arguments;
    for (std::size_t begin = 0; begin < all.size();) {
        const std::size_t end = all.find('\0', begin);
        arguments.push_back(all.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
        begin = end == std::string::npos ? all.size() : end + 1;
    }
    std::vector<std::string> kept;
    for (std::size_t i = 1; i < arguments.size(); ++i) {
        if (arguments[i] == option) {
            ++i; // its value
            continue;
        }
        if (arguments[i].rfind(option + "=", 0) == 0)
            continue;
        kept.push_back(arguments[i]);
    }
    return kept;
}

} // namespace idgen
