#include "cli/TokenizerCommands.h"

#include "cli/CliEvents.h"
#include "store/Database.h"
#include "text/TokenizerJob.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace idgen::cli {
namespace {

nlohmann::json infoJson(const TokenizerInfo &info)
{
    return {{"dataset", info.dataset},       {"name", info.name},
            {"kind", info.kind},             {"vocab_size", info.vocabSize},
            {"options", info.options},       {"created_at", info.createdAt},
            {"model_bytes", info.modelBytes}};
}

std::string joined(const std::vector<std::string> &words)
{
    std::string out;
    for (const auto &word : words)
        out += (out.empty() ? "" : " ") + word;
    return out;
}

struct TrainArgs {
    std::string project, dataset, name = TokenizerRepository::kDefaultName;
    TokenizerOptions options;
    bool json = false;
};

void runTrain(const TrainArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    CliEvents events(args.json);
    const TokenizerTrainingReport report = trainDatasetTokenizer(db, args.dataset, args.name, args.options, events);
    events.finish();
    if (args.json) {
        printJson({{"dataset", report.info.dataset},
                   {"name", report.info.name},
                   {"kind", report.info.kind},
                   {"vocab_size", report.info.vocabSize},
                   {"requested_vocab_size", report.requestedVocabSize},
                   {"effective_vocab_size", report.effectiveVocabSize},
                   {"texts", report.texts},
                   {"seconds", report.seconds},
                   {"mean_tokens_per_item_text", report.meanTokensPerText}});
        return;
    }
    std::cout << "tokenizer '" << report.info.name << "' of dataset '" << report.info.dataset << "' ("
              << report.info.kind << ")\n"
              << "  vocabulary    " << report.info.vocabSize << " pieces";
    if (report.effectiveVocabSize < report.requestedVocabSize)
        std::cout << " (asked for " << report.requestedVocabSize << ", capped at " << report.effectiveVocabSize
                  << " for this corpus)";
    std::cout << "\n"
              << "  trained on    " << report.texts << " item texts in " << fixed(report.seconds, 2) << " s\n"
              << "  mean tokens   " << fixed(report.meanTokensPerText, 1) << " per item text\n";
}

struct EncodeArgs {
    std::string project, dataset, name = TokenizerRepository::kDefaultName;
    std::vector<std::string> words;
    bool noEos = false;
    bool json = false;
};

void runEncode(const EncodeArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    const Tokenizer tokenizer = TokenizerRepository(db).load(args.dataset, args.name);
    const std::string text = joined(args.words);
    const std::vector<int> ids = tokenizer.encode(text, !args.noEos);
    std::vector<std::string> pieces;
    for (const int id : ids)
        pieces.push_back(tokenizer.idToPiece(id));
    if (args.json) {
        printJson({{"text", text}, {"pieces", pieces}, {"ids", ids}});
        return;
    }
    std::string idText;
    for (const int id : ids)
        idText += (idText.empty() ? "" : " ") + std::to_string(id);
    std::cout << "pieces  " << joined(pieces) << "\n"
              << "ids     " << idText << "\n"
              << "tokens  " << ids.size() << "\n";
}

} // namespace

void addTokenizerCommands(CLI::App &app)
{
    auto *tokenizer = app.add_subcommand("tokenizer", "Train, inspect and import SentencePiece tokenizers");
    tokenizer->require_subcommand(1);

    auto train = std::make_shared<TrainArgs>();
    auto *trainCommand = tokenizer->add_subcommand("train", "Train a tokenizer on a dataset's item texts and store it");
    trainCommand->add_option("--project", train->project, "Project file")->required();
    trainCommand->add_option("--dataset", train->dataset, "Dataset name")->required();
    trainCommand->add_option("--name", train->name, "Tokenizer name (replaced when it exists)")->capture_default_str();
    trainCommand->add_option("--vocab", train->options.vocabSize, "Vocabulary size (capped for small datasets)")
        ->capture_default_str()
        ->check(CLI::Range(8, 1 << 20));
    trainCommand->add_option("--type", train->options.type, "Model type")
        ->capture_default_str()
        ->check(CLI::IsMember({"unigram", "bpe"}));
    trainCommand->add_option("--coverage", train->options.characterCoverage, "Character coverage")
        ->capture_default_str()
        ->check(CLI::Range(0.5, 1.0));
    trainCommand->add_flag("!--keep-case", train->options.lowercase, "Do not lower-case texts (default: lower-case)");
    trainCommand->add_option("--threads", train->options.threads, "Training threads (default: one per core)")
        ->check(CLI::NonNegativeNumber);
    trainCommand->add_flag("--json", train->json, "Print JSON lines (progress events, then the summary)");
    trainCommand->callback([train] { runTrain(*train); });

    auto encode = std::make_shared<EncodeArgs>();
    auto *encodeCommand = tokenizer->add_subcommand("encode", "Show the pieces and ids of a text");
    encodeCommand->add_option("--project", encode->project, "Project file")->required();
    encodeCommand->add_option("--dataset", encode->dataset, "Dataset name")->required();
    encodeCommand->add_option("--name", encode->name, "Tokenizer name")->capture_default_str();
    encodeCommand->add_flag("--no-eos", encode->noEos, "Do not append the end-of-sequence id");
    encodeCommand->add_flag("--json", encode->json, "Print one JSON object");
    encodeCommand->add_option("text", encode->words, "Text (several words are joined with spaces)")->required();
    encodeCommand->callback([encode] { runEncode(*encode); });

    struct DecodeArgs {
        std::string project, dataset, name = TokenizerRepository::kDefaultName;
        std::vector<int> ids;
    };
    auto decode = std::make_shared<DecodeArgs>();
    auto *decodeCommand = tokenizer->add_subcommand("decode", "Turn token ids back into text");
    decodeCommand->add_option("--project", decode->project, "Project file")->required();
    decodeCommand->add_option("--dataset", decode->dataset, "Dataset name")->required();
    decodeCommand->add_option("--name", decode->name, "Tokenizer name")->capture_default_str();
    decodeCommand->add_option("ids", decode->ids, "Token ids")->required();
    decodeCommand->callback([decode] {
        Database db(decode->project, Database::Mode::OpenExisting);
        std::cout << TokenizerRepository(db).load(decode->dataset, decode->name).decode(decode->ids) << "\n";
    });

    struct ImportArgs {
        std::string project, dataset, name = TokenizerRepository::kDefaultName, model;
        bool json = false;
    };
    auto import = std::make_shared<ImportArgs>();
    auto *importCommand = tokenizer->add_subcommand("import", "Store a pretrained spiece.model (e.g. a T5's) as a tokenizer");
    importCommand->add_option("--project", import->project, "Project file")->required();
    importCommand->add_option("--dataset", import->dataset, "Dataset name")->required();
    importCommand->add_option("--model", import->model, "SentencePiece model file (spiece.model)")->required();
    importCommand->add_option("--name", import->name, "Tokenizer name (replaced when it exists)")->capture_default_str();
    importCommand->add_flag("--json", import->json, "Print one JSON object");
    importCommand->callback([import] {
        Database db(import->project, Database::Mode::OpenExisting);
        const TokenizerInfo info = importTokenizer(db, import->dataset, import->name, import->model);
        if (import->json)
            printJson(infoJson(info));
        else
            std::cout << "tokenizer '" << info.name << "' of dataset '" << info.dataset << "': " << info.vocabSize
                      << " pieces imported from " << import->model << "\n";
    });

    struct ListArgs {
        std::string project, dataset;
        bool json = false;
    };
    auto list = std::make_shared<ListArgs>();
    auto *listCommand = tokenizer->add_subcommand("list", "List the tokenizers of a project");
    listCommand->add_option("--project", list->project, "Project file")->required();
    listCommand->add_option("--dataset", list->dataset, "Only this dataset's");
    listCommand->add_flag("--json", list->json, "Print JSON");
    listCommand->callback([list] {
        Database db(list->project, Database::Mode::OpenExisting);
        const auto infos = TokenizerRepository(db).list(list->dataset);
        if (list->json) {
            printJsonArray(infos, [](const auto &info) { return infoJson(info); });
            return;
        }
        if (infos.empty())
            std::cout << "no tokenizers yet; train one with 'idgenrec tokenizer train'\n";
        for (const auto &info : infos)
            std::cout << info.dataset << "\t" << info.name << "\t" << info.kind << "\t" << info.vocabSize
                      << " pieces\t" << info.createdAt << "\n";
    });
}

} // namespace idgen::cli
