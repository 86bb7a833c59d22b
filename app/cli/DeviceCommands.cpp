#include "cli/DeviceCommands.h"

#include "cli/CliEvents.h"
#include "runtime/DeviceCheck.h"
#include "runtime/Runtime.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace idgen::cli {
namespace {

struct DeviceArgs {
    std::string device = "cuda";
    bool json = false;
};

void runInfo(bool json)
{
    const RuntimeInfo runtime = probeRuntime();
    const nlohmann::json info = {{"version", IDGEN_VERSION},
                                 {"torch", runtime.torchVersion},
                                 {"cuda", runtime.cudaAvailable},
                                 {"torch_threads", runtime.torchThreads},
                                 {"matmul_gflops_per_s", runtime.matmulGflops}};
    if (json) {
        printJson(info);
        return;
    }
    std::cout << info.dump(2) << "\n";
    if (runtime.matmulGflops < 15.0)
        std::cerr << "warning: matrix products run at " << runtime.matmulGflops
                  << " GFLOP/s; is libopenblas0-pthread installed?\n";
}

void runCheck(const DeviceArgs &args)
{
    const DeviceCheckReport report = runDeviceChecks(args.device, std::filesystem::temp_directory_path().string());
    if (args.json) {
        printJson(report.toJson());
    } else {
        std::cout << "checks on " << report.device << " against the CPU:\n";
        for (const auto &c : report.checks)
            std::cout << "  " << (c.passed ? "ok    " : "FAILED") << "  " << c.name << ": " << c.difference
                      << " (tolerance " << c.tolerance << ")" << (c.detail.empty() ? "" : "; " + c.detail) << "\n";
    }
    std::string failed;
    for (const auto &c : report.checks)
        if (!c.passed)
            failed += (failed.empty() ? "" : "; ") + c.name;
    if (!failed.empty())
        throw Error("device " + report.device + " does not compute what the CPU computes: " + failed);
}

} // namespace

void addDeviceCommands(CLI::App &app)
{
    auto infoJson = std::make_shared<bool>(false);
    auto *info = app.add_subcommand("info", "Show library versions and check the matrix-multiply speed");
    info->add_flag("--json", *infoJson, "Print JSON");
    info->callback([infoJson] { runInfo(*infoJson); });

    auto args = std::make_shared<DeviceArgs>();
    auto *check = app.add_subcommand(
        "check-device", "Check that a device computes what the CPU computes (logits, training step, decoding, checkpoints)");
    check->add_option("--device", args->device, "cuda, cuda:N (cpu checks the code paths only)")->capture_default_str();
    check->add_flag("--json", args->json, "Print JSON");
    check->callback([args] { runCheck(*args); });
}

} // namespace idgen::cli
