#include "cli/TrainCommands.h"

#include "cli/CliEvents.h"
#include "cli/CtrlCStop.h"
#include "store/Database.h"
#include "train/Training.h"
#include "train/RunRepository.h"
#include "train/RunSession.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace idgen::cli {
namespace {

struct TrainArgs {
    std::string project;
    TrainRequest request;
    std::int64_t snapshot = 0;
    std::int64_t run = 0; // resume
    int nproc = 1;        // data-parallel ranks started on this machine
    bool json = false;
};

void printOutcome(const Database &db, std::int64_t id, bool json)
{
    const RunRecord run = RunRepository(db).load(id);
    if (json) {
        printJson(runOutcomeJson(run));
        return;
    }
    std::cout << "run " << run.id << " (" << run.kind << " " << run.name << ", snapshot "
              << (run.snapshot ? std::to_string(*run.snapshot) : std::string("-")) << "): " << run.status << "\n";
    for (const char *split : {"valid", "test"}) {
        if (!run.summary.contains(split))
            continue;
        std::cout << "  " << split << ":";
        for (const auto &[name, value] : run.summary[split]["metrics"].items())
            std::cout << " " << name << " " << fixed(value.get<double>(), 4);
        std::cout << "\n";
    }
    if (run.summary.contains("samples_per_s"))
        std::cout << "  " << fixed(run.summary["samples_per_s"].get<double>(), 1) << " samples/s, "
                  << fixed(run.summary["tokens_per_s"].get<double>(), 0) << " tokens/s while training; best epoch "
                  << run.summary["best_epoch"] << "\n";
    if (!run.message.empty())
        std::cout << "  " << run.message << "\n";
}

TrainingControl control(const CtrlCStop &ctrlC, bool json)
{
    TrainingControl c;
    c.stop = ctrlC.token();
    c.onRunCreated = [json](std::int64_t run) {
        if (json)
            printJson({{"event", "run"}, {"run", run}});
        else
            std::cerr << "run " << run << " (Ctrl-C stops it at the next step, resumable)\n";
    };
    return c;
}

void runTrain(TrainArgs &args)
{
    if (launchedDataParallelRanks(args.nproc))
        return;
    if (args.snapshot > 0)
        args.request.snapshot = args.snapshot;
    const auto group = joinGroupFromEnvironment();
    Database db(args.project, Database::Mode::OpenExisting);
    const CtrlCStop ctrlC;
    if (group && !group->isLeader()) { // rank 0 reports; the others print only their errors
        JobEvents quiet;
        TrainingControl c;
        c.stop = ctrlC.token();
        c.group = group.get();
        (void)startTraining(db, args.request, quiet, c);
        return;
    }
    CliEvents events(args.json);
    TrainingControl c = control(ctrlC, args.json);
    c.group = group.get();
    const std::int64_t id = startTraining(db, args.request, events, c);
    events.finish();
    printOutcome(db, id, args.json);
}

void runResume(const TrainArgs &args)
{
    if (launchedDataParallelRanks(args.nproc))
        return;
    const auto group = joinGroupFromEnvironment();
    Database db(args.project, Database::Mode::OpenExisting);
    const CtrlCStop ctrlC;
    if (group && !group->isLeader()) {
        JobEvents quiet;
        TrainingControl c;
        c.stop = ctrlC.token();
        c.group = group.get();
        resumeTraining(db, args.run, quiet, c);
        return;
    }
    CliEvents events(args.json);
    TrainingControl c = control(ctrlC, args.json);
    c.group = group.get();
    resumeTraining(db, args.run, events, c);
    events.finish();
    printOutcome(db, args.run, args.json);
}

struct RunArgs {
    std::string project;
    std::string dataset;
    std::int64_t run = 0;
    std::string out;
    bool json = false;
};

void runStop(const RunArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    RunRepository(db).requestStop(args.run);
    std::cout << "asked run " << args.run << " to stop at its next step (it writes a checkpoint first)\n";
}

void runList(const RunArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    const auto runs = RunRepository(db).list(args.dataset);
    if (args.json) {
        printJsonArray(runs, [](const RunRecord &r) { return r.toJson(); });
        return;
    }
    if (runs.empty())
        std::cout << "no runs yet (idgenrec train, idgenrec baseline)\n";
    for (const auto &r : runs) {
        std::cout << r.id << "  " << r.kind << " " << r.name << "  " << r.dataset << "  snapshot "
                  << (r.snapshot ? std::to_string(*r.snapshot) : std::string("-")) << "  " << r.status << "  "
                  << r.startedAt;
        const auto test = r.summary.value("test", nlohmann::json::object()).value("metrics", nlohmann::json::object());
        if (test.contains("hr@10"))
            std::cout << "  test HR@10 " << fixed(test["hr@10"].get<double>(), 4) << " NDCG@10 "
                      << fixed(test["ndcg@10"].get<double>(), 4);
        std::cout << "\n";
        if (!r.message.empty())
            std::cout << "     " << r.message << "\n";
    }
}

void runExportMetrics(const RunArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    RunRepository runs(db);
    (void)runs.load(args.run);
    std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
    if (!out)
        throw Error("cannot write " + args.out);
    out << "run,round,epoch,step,split,name,value\n";
    const auto points = runs.metrics(args.run);
    for (const auto &p : points)
        out << p.run << ',' << p.round << ',' << p.epoch << ',' << p.step << ',' << p.split << ',' << p.name << ','
            << fixed(p.value, 8) << '\n';
    out.close();
    if (!out)
        throw Error("writing " + args.out + " failed");
    std::cout << "wrote " << points.size() << " metric points of run " << args.run << " to " << args.out << "\n";
}

} // namespace

void addTrainCommands(CLI::App &app)
{
    auto train = std::make_shared<TrainArgs>();
    auto *trainCommand = app.add_subcommand("train", "Train a recommender on an ID snapshot (a run in the project file)");
    trainCommand->add_option("--project", train->project, "Project file")->required();
    trainCommand->add_option("--dataset", train->request.dataset, "Dataset")->required();
    trainCommand->add_option("--config", train->request.config, "Built-in config (demo, beauty-cpu, beauty-gpu, demo-idgenrec, beauty-idgenrec-gpu, published) or a TOML file")
        ->capture_default_str();
    trainCommand->add_option("--snapshot", train->snapshot, "ID snapshot to train on (default: the config's [ids] scheme is assigned)");
    trainCommand->add_option("--device", train->request.device, "cpu, cuda or cuda:N (default: the config's)");
    trainCommand->add_option("--nproc", train->nproc,
                             "Data-parallel: start N ranks of this command on this machine (c10d Gloo; the global "
                             "batch and learning rate stay the config's). With torchrun's WORLD_SIZE/RANK/MASTER_* "
                             "set, a process joins that group instead")
        ->capture_default_str();
    trainCommand->add_flag("--json", train->json, "JSON lines: the run, progress, metric points, the outcome last");
    trainCommand->callback([train] { runTrain(*train); });

    auto resume = std::make_shared<TrainArgs>();
    auto *resumeCommand = app.add_subcommand("resume", "Continue a stopped or interrupted run from its last checkpoint");
    resumeCommand->add_option("--project", resume->project, "Project file")->required();
    resumeCommand->add_option("--run", resume->run, "Run id (idgenrec runs)")->required();
    resumeCommand->add_option("--nproc", resume->nproc,
                              "Data-parallel ranks to continue with on this machine (any number, whatever the run "
                              "started with)")
        ->capture_default_str();
    resumeCommand->add_flag("--json", resume->json, "JSON lines, the outcome last");
    resumeCommand->callback([resume] { runResume(*resume); });

    auto args = std::make_shared<RunArgs>();
    auto *stop = app.add_subcommand("stop", "Ask a run training in another process to stop (checkpoint first)");
    stop->add_option("--project", args->project, "Project file")->required();
    stop->add_option("--run", args->run, "Run id")->required();
    stop->callback([args] { runStop(*args); });

    auto *list = app.add_subcommand("runs", "List the project's training runs");
    list->add_option("--project", args->project, "Project file")->required();
    list->add_option("--dataset", args->dataset, "Only the runs of this dataset");
    list->add_flag("--json", args->json, "Print JSON");
    list->callback([args] { runList(*args); });
}

void addExportMetricsCommand(CLI::App &exportCommand)
{
    auto args = std::make_shared<RunArgs>();
    auto *metrics = exportCommand.add_subcommand("metrics", "A run's metric points as CSV");
    metrics->add_option("--project", args->project, "Project file")->required();
    metrics->add_option("--run", args->run, "Run id")->required();
    metrics->add_option("--out", args->out, "CSV file to write")->required();
    metrics->callback([args] { runExportMetrics(*args); });
}

} // namespace idgen::cli
