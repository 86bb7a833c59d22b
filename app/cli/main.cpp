// idgenrec: the command-line front end. Every command is a thin call into the core.
#include "cli/BenchCommands.h"
#include "cli/CliEvents.h"
#include "cli/DatasetCommands.h"
#include "cli/DecodeCommands.h"
#include "cli/IdCommands.h"
#include "cli/TokenizerCommands.h"
#include "runtime/Runtime.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char **argv)
{
    CLI::App app("IDGenRec Workbench: generative recommendation with learned textual item IDs", "idgenrec");
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(IDGEN_VERSION));
    idgen::cli::addDatasetCommands(app);
    idgen::cli::addTokenizerCommands(app);
    idgen::cli::addIdCommands(app);
    idgen::cli::addDecodeCommands(app);
    idgen::cli::addBenchCommands(app);

    bool infoJson = false;
    auto *info = app.add_subcommand("info", "Show library versions and check the matrix-multiply speed");
    info->add_flag("--json", infoJson, "Print JSON");
    info->callback([&infoJson] {
        const idgen::RuntimeInfo runtime = idgen::probeRuntime();
        const nlohmann::json json = {{"version", IDGEN_VERSION},
                                     {"torch", runtime.torchVersion},
                                     {"cuda", runtime.cudaAvailable},
                                     {"torch_threads", runtime.torchThreads},
                                     {"matmul_gflops_per_s", runtime.matmulGflops}};
        if (infoJson) {
            idgen::cli::printJson(json);
            return;
        }
        std::cout << json.dump(2) << "\n";
        if (runtime.matmulGflops < 15.0)
            std::cerr << "warning: matrix products run at " << runtime.matmulGflops
                      << " GFLOP/s; is libopenblas0-pthread installed?\n";
    });

    try {
        idgen::applyDefaultThreads(); // measured CPU thread defaults, or IDGEN_THREADS
        app.parse(argc, argv);
    } catch (const CLI::ParseError &error) {
        return app.exit(error);
    } catch (const idgen::Error &error) {
        std::cerr << "error: " << error.what() << '\n';
        return 1;
    } catch (const std::exception &error) {
        std::cerr << "error: unexpected failure: " << error.what() << '\n';
        return 2;
    }
    return 0;
}
