// idgenrec: the command-line front end. Every command is a thin call into the core.
#include "cli/BaselineCommands.h"
#include "cli/BenchCommands.h"
#include "cli/DatasetCommands.h"
#include "cli/DecodeCommands.h"
#include "cli/DeviceCommands.h"
#include "cli/EvaluateCommands.h"
#include "cli/IdCommands.h"
#include "cli/ModelCommands.h"
#include "cli/TokenizerCommands.h"
#include "cli/TrainCommands.h"
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
    idgen::cli::addEvaluateCommands(app);
    idgen::cli::addModelCommands(app);
    idgen::cli::addBenchCommands(app);
    idgen::cli::addDeviceCommands(app);
    idgen::cli::addBaselineCommands(app);
    idgen::cli::addTrainCommands(app);
    idgen::cli::addExportMetricsCommand(*app.get_subcommand("export"));

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
