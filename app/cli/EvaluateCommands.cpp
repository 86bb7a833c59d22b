#include "cli/EvaluateCommands.h"

#include "cli/CliEvents.h"
#include "eval/EvaluationStore.h"
#include "eval/FullRankingEvaluator.h"
#include "store/Database.h"
#include "train/RunRepository.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <tuple>
#include <memory>

namespace idgen::cli {
namespace {

struct EvaluateArgs {
    std::string project;
    std::int64_t run = 0;
    bool unseenPrompt = false;
    std::string split = "test";
    EvaluationRequest request;
    bool fp32 = false;
    bool noStore = false;
    bool json = false;
};

void runEvaluate(EvaluateArgs &args)
{
    args.request.split = parseSplit(args.split);
    args.request.bf16 = !args.fp32;
    args.request.store = !args.noStore;
    args.request.unseenPrompt = args.unseenPrompt;
    Database db(args.project, Database::Mode::OpenExisting);
    if (args.run > 0) {
        // A run's best checkpoint on the snapshot it trained on.
        const RunRecord run = RunRepository(db).load(args.run);
        if (run.checkpointBest.empty() || !run.snapshot)
            throw Error("run " + std::to_string(args.run) + " has no best checkpoint yet (status " + run.status + ")");
        args.request.checkpoint = RunRepository(db).resolve(run.checkpointBest);
        args.request.snapshot = *run.snapshot;
        args.request.run = run.id;
    } else if (args.request.checkpoint.empty() || args.request.snapshot <= 0) {
        throw Error("evaluate needs --run R, or --checkpoint and --snapshot");
    }
    CliEvents events(args.json);
    const EvaluationResult r = evaluateRecommender(db, args.request, &events);
    events.finish();
    if (args.json) {
        printJson(r.toJson());
        return;
    }
    std::cout << r.users.size() << " " << splitName(r.split) << " users, " << r.beams << " beams, full ranking over "
              << "every item (" << r.skippedUsers << " users without a " << splitName(r.split) << " item skipped)\n";
    for (const int k : r.metrics.cutoffs())
        std::cout << "  HR@" << k << " " << fixed(r.metrics.hitRate(k), 4) << "   NDCG@" << k << " "
                  << fixed(r.metrics.ndcg(k), 4) << "\n";
    std::cout << "decoded in " << fixed(r.decodeSeconds, 2) << " s (" << fixed(r.usersPerSecond(), 1)
              << " users/s; loading and prompts " << fixed(r.setupSeconds, 2) << " s)\n";
    if (r.id)
        std::cout << "stored in the project (evaluations id " << *r.id << ")\n";
}

struct ListArgs {
    std::string project;
    std::int64_t snapshot = 0;
    bool json = false;
};

void runList(const ListArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    const auto records = listEvaluations(db, args.snapshot);
    if (args.json) {
        printJsonArray(records, [](const EvaluationRecord &r) { return r.toJson(); });
        return;
    }
    if (records.empty())
        std::cout << "no evaluations stored yet (idgenrec evaluate)\n";
    for (const auto &r : records) {
        std::cout << r.id << "  snapshot " << r.snapshot << "  " << r.split << "  " << r.users << " users  " << r.beams
                  << " beams  " << r.device << "  " << r.createdAt << "\n     ";
        // "hr@5 ndcg@5 hr@10 ...": by cutoff, not in the JSON's alphabetical order.
        std::vector<std::tuple<int, std::string, double>> metrics;
        for (const auto &[name, value] : r.metrics.items())
            metrics.emplace_back(std::stoi(name.substr(name.find('@') + 1)), name, value.get<double>());
        std::sort(metrics.begin(), metrics.end());
        for (const auto &[k, name, value] : metrics)
            std::cout << " " << name << " " << fixed(value, 4);
        std::cout << "\n      " << r.checkpoint << "\n";
    }
}

} // namespace

void addEvaluateCommands(CLI::App &app)
{
    auto args = std::make_shared<EvaluateArgs>();
    EvaluationRequest &r = args->request;
    auto *evaluate = app.add_subcommand(
        "evaluate", "HR@k and NDCG@k of a recommender: every user of a split decoded against all items");
    evaluate->add_option("--project", args->project, "Project file")->required();
    evaluate->add_option("--run", args->run, "A training run: its best checkpoint on its snapshot");
    evaluate->add_option("--checkpoint", r.checkpoint, "Recommender checkpoint or Hugging Face T5 folder");
    evaluate->add_option("--snapshot", r.snapshot, "ID snapshot (idgenrec ids list)");
    evaluate->add_flag("--unseen-prompt", args->unseenPrompt, "Use the held-out prompt template (never seen in training)");
    evaluate->add_option("--split", args->split, "valid or test")
        ->check(CLI::IsMember({"valid", "test"}))
        ->capture_default_str();
    evaluate->add_option("--beams", r.beams, "Beams (= items ranked per user)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    evaluate->add_option("--users", r.maxUsers, "Evaluate only the first N users (default: all)")
        ->check(CLI::PositiveNumber);
    evaluate->add_option("--batch", r.usersPerCall, "Users per batched search (default: 32 on a CPU, 256 on CUDA)")
        ->check(CLI::PositiveNumber);
    evaluate->add_option("--device", r.device, "cpu, cuda or cuda:N")->capture_default_str();
    evaluate->add_flag("--fp32", args->fp32, "On CUDA, run in float32 instead of bf16 autocast");
    evaluate->add_option("--length-penalty", r.lengthPenalty, "Ranking score = log-prob / length^penalty")
        ->capture_default_str();
    evaluate->add_flag("--no-store", args->noStore, "Do not keep the result in the project file");
    evaluate->add_flag("--json", args->json, "Print JSON");
    evaluate->callback([args] { runEvaluate(*args); });

    auto listArgs = std::make_shared<ListArgs>();
    auto *list = app.add_subcommand("evaluations", "List the evaluations stored in a project");
    list->add_option("--project", listArgs->project, "Project file")->required();
    list->add_option("--snapshot", listArgs->snapshot, "Only those of this ID snapshot");
    list->add_flag("--json", listArgs->json, "Print JSON");
    list->callback([listArgs] { runList(*listArgs); });
}

} // namespace idgen::cli
