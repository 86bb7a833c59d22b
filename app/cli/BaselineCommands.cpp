#include "cli/BaselineCommands.h"

#include "cli/CliEvents.h"
#include "cli/CtrlCStop.h"
#include "store/Database.h"
#include "train/RunSession.h"
#include "train/baselines/BaselineRun.h"
#include "train/distributed/ProcessGroupContext.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace idgen::cli {
namespace {

struct BaselineArgs {
    std::string project;
    BaselineRequest request;
    int nproc = 1; // data-parallel ranks started on this machine (SASRec)
    bool json = false;
};

void printSummary(const RunRecord &run)
{
    const nlohmann::json &s = run.summary;
    std::cout << "run " << run.id << " (baseline " << run.name << " on " << run.dataset << ", " << run.device
              << "): " << run.status << (run.message.empty() ? "" : " - " + run.message) << "\n";
    if (s.value("epochs", 0) > 0)
        std::cout << "  " << s.value("epochs", 0) << " epochs, best on validation: epoch " << s.value("best_epoch", 0)
                  << "\n";
    std::cout << "  split    users   HR@5    NDCG@5  HR@10   NDCG@10 HR@20   NDCG@20\n";
    for (const char *split : {"valid", "test"}) {
        if (!s.contains(split))
            continue;
        const nlohmann::json &m = s[split]["metrics"];
        std::cout << "  " << split << (std::string(split) == "test" ? " " : "") << "    "
                  << s[split].value("users", 0);
        for (const char *k : {"5", "10", "20"})
            for (const char *name : {"hr@", "ndcg@"}) {
                const std::string key = std::string(name) + k;
                std::cout << "  " << (m.contains(key) ? fixed(m[key].get<double>(), 4) : std::string("  -   "));
            }
        std::cout << "\n";
    }
    std::cout << "  " << fixed(s.value("seconds", 0.0), 1) << " s";
    if (s.contains("samples_per_s"))
        std::cout << " (training " << fixed(s.value("train_seconds", 0.0), 1) << " s, "
                  << fixed(s["samples_per_s"].get<double>(), 0) << " targets/s)";
    std::cout << "\n";
    if (!run.checkpointBest.empty())
        std::cout << "  best weights " << run.checkpointBest << "\n";
    if (s.contains("item_embeddings"))
        std::cout << "  item embeddings " << s["item_embeddings"].get<std::string>() << "\n";
}

void runBaseline(BaselineArgs &args)
{
    if (launchedDataParallelRanks(args.nproc))
        return;
    Database db(args.project, Database::Mode::OpenExisting);
    BaselineRun baseline(db, args.request); // bad model, dataset, device or config: no run is created
    const auto group = joinGroupFromEnvironment();
    baseline.setGroup(group.get());
    if (group && !group->isLeader()) { // rank 0 reports and writes; the others print only their errors
        JobEvents quiet;
        const CtrlCStop ctrlC;
        baseline.follow(quiet, ctrlC.token());
        return;
    }
    const std::int64_t id = baseline.create();
    if (args.json)
        printJson({{"event", "run"},
                   {"run", id},
                   {"kind", "baseline"},
                   {"name", args.request.model},
                   {"dataset", args.request.dataset},
                   {"device", args.request.device}});
    else
        std::cerr << "run " << id << ": baseline " << args.request.model << " on " << args.request.dataset
                  << " (Ctrl-C stops it and keeps what it has)\n";
    CliEvents events(args.json);
    RunRecord run;
    {
        // Ctrl-C: the run stops at its next step, saves what it has and ends "stopped".
        const CtrlCStop ctrlC;
        run = baseline.execute(events, ctrlC.token());
    }
    events.finish();
    if (args.json)
        printJson(runOutcomeJson(run));
    else
        printSummary(run);
}

} // namespace

void addBaselineCommands(CLI::App &app)
{
    auto args = std::make_shared<BaselineArgs>();
    BaselineRequest &r = args->request;
    auto *baseline = app.add_subcommand(
        "baseline", "Train and evaluate a baseline (pop, markov, sasrec-ce, sasrec-bce) as a run of the project");
    baseline->add_option("--project", args->project, "Project file")->required();
    baseline->add_option("--dataset", r.dataset, "Dataset name")->required();
    // Checked by the core, so that a wrong name is an ordinary error (exit 1) naming the choices.
    baseline->add_option("--model", r.model, "pop, markov, sasrec-ce or sasrec-bce")->required();
    baseline->add_option("--config", r.configPath,
                         "SASRec config (TOML, [sasrec]; default: the built-in resources/configs/sasrec.toml)");
    baseline->add_option("--device", r.device, "cpu, cuda or cuda:N")->capture_default_str();
    baseline->add_option("--nproc", args->nproc,
                         "Data-parallel SASRec: start N ranks of this command on this machine (c10d Gloo; the "
                         "config's batch and learning rate stay). With torchrun's WORLD_SIZE/RANK/MASTER_* set, a "
                         "process joins that group instead")
        ->capture_default_str();
    baseline->add_flag("--json", args->json, "Print JSON lines: the run, progress and metrics, then the outcome");
    baseline->callback([args] { runBaseline(*args); });
}

} // namespace idgen::cli
