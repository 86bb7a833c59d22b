#include "cli/ModelCommands.h"

#include "cli/CliEvents.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/SnapshotVocabulary.h"
#include "model/HfExport.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "store/Database.h"
#include "text/TokenizerRepository.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>

namespace idgen::cli {
namespace {

struct InitArgs {
    std::string project, dataset, tokenizer = TokenizerRepository::kDefaultName, config = "tiger", kind = "recommender";
    std::string out;
    std::uint64_t seed = 1;
    std::int64_t snapshot = 0;
    bool json = false;
};

void runInit(const InitArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    nlohmann::json extra = {{"dataset", args.dataset}, {"tokenizer", args.tokenizer}, {"seed", args.seed}};
    std::optional<Tokenizer> tokenizer;
    if (args.snapshot > 0) {
        // The snapshot's tokenizer: the dataset's plus the tokens the snapshot added (<a_7>, ...),
        // so the tables have a row for each and the model fits the snapshot.
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(args.snapshot);
        if (snapshot.dataset != args.dataset)
            throw Error("snapshot " + std::to_string(args.snapshot) + " belongs to dataset '" + snapshot.dataset +
                        "', not '" + args.dataset + "'");
        tokenizer.emplace(loadSnapshotTokenizer(db, snapshot));
        extra["tokenizer"] = snapshot.tokenizer;
        extra["snapshot"] = snapshot.id;
        extra["added_tokens"] = snapshot.addedTokens;
    } else {
        tokenizer.emplace(TokenizerRepository(db).load(args.dataset, args.tokenizer));
    }
    extra["tokenizer_hash"] = tokenizer->contentHash();
    T5Config config = T5Config::byNameOrFile(args.config);
    config.vocabSize = tokenizer->vocabSize();
    writeInitialModel(args.out, config, args.kind, args.seed, extra);
    if (args.json)
        printJson({{"checkpoint", args.out}, {"kind", args.kind}, {"config", config.toJson()}});
    else
        std::cout << "wrote a freshly initialised " << args.config << " " << args.kind << " (vocabulary "
                  << config.vocabSize << ") to " << args.out << "\n";
}

struct ExportArgs {
    std::string checkpoint, out, project;
    bool json = false;
};

// The tokenizer a checkpoint was made for (extra.dataset, extra.tokenizer), as spiece.model bytes.
std::string checkpointTokenizerBytes(const std::string &project, const LoadedModel &loaded, const std::string &checkpoint)
{
    const nlohmann::json &extra = loaded.state.extra;
    if (!extra.contains("dataset") || !extra.contains("tokenizer"))
        throw Error("checkpoint " + checkpoint + " does not name its dataset and tokenizer; export without --project");
    Database db(project, Database::Mode::OpenExisting);
    return TokenizerRepository(db)
        .load(extra["dataset"].get<std::string>(), extra["tokenizer"].get<std::string>())
        .modelBytes();
}

void runExport(const ExportArgs &args)
{
    const LoadedModel loaded = loadModel(args.checkpoint);
    const std::string spiece = args.project.empty() ? std::string() : checkpointTokenizerBytes(args.project, loaded, args.checkpoint);
    exportHfModel(*loaded.model, args.out, spiece);
    if (args.json)
        printJson({{"folder", args.out}, {"config", loaded.model->config().toJson()}, {"spiece", !spiece.empty()}});
    else
        std::cout << "wrote " << args.out << "/config.json and model.safetensors" << (spiece.empty() ? "" : " and spiece.model")
                  << " (load with T5ForConditionalGeneration.from_pretrained)\n";
}

} // namespace

void addModelCommands(CLI::App &app)
{
    auto init = std::make_shared<InitArgs>();
    auto *model = app.add_subcommand("model", "Model checkpoints");
    model->require_subcommand(1);
    auto *initCommand = model->add_subcommand("init", "Write a freshly initialised model for a dataset's tokenizer");
    initCommand->add_option("--project", init->project, "Project file")->required();
    initCommand->add_option("--dataset", init->dataset, "Dataset whose tokenizer the model reads")->required();
    initCommand->add_option("--tokenizer", init->tokenizer, "Tokenizer name (with --snapshot: the snapshot's)")
        ->capture_default_str();
    initCommand->add_option("--snapshot", init->snapshot,
                            "ID snapshot the model is for: its added tokens (<a_7>, ...) get rows too");
    initCommand->add_option("--config", init->config, "tiny, mini, tiger, small or a config.json")->capture_default_str();
    initCommand->add_option("--kind", init->kind, "recommender or id-generator")
        ->check(CLI::IsMember({"recommender", "id-generator"}))
        ->capture_default_str();
    initCommand->add_option("--seed", init->seed, "Seed of the initial weights")->capture_default_str();
    initCommand->add_option("--out", init->out, "Checkpoint file to write")->required();
    initCommand->add_flag("--json", init->json, "Print JSON");
    initCommand->callback([init] { runInit(*init); });

    auto exportArgs = std::make_shared<ExportArgs>();
    auto *exportCommand = model->add_subcommand("export-hf", "Write a checkpoint as a Hugging Face T5 folder");
    exportCommand->add_option("--checkpoint", exportArgs->checkpoint, "Model checkpoint")->required();
    exportCommand->add_option("--out", exportArgs->out, "Folder to write (created)")->required();
    exportCommand->add_option("--project", exportArgs->project,
                              "Project file: also write the checkpoint's tokenizer as spiece.model");
    exportCommand->add_flag("--json", exportArgs->json, "Print JSON");
    exportCommand->callback([exportArgs] { runExport(*exportArgs); });
}

} // namespace idgen::cli
