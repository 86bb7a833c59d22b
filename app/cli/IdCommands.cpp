#include "cli/IdCommands.h"

#include "cli/CliEvents.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdDiff.h"
#include "ids/IdExport.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/schemes/IdScheme.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "train/distributed/ProcessGroupContext.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace idgen::cli {
namespace {

std::string joinedTokens(const std::vector<int> &tokens)
{
    std::string out;
    for (const int token : tokens)
        out += (out.empty() ? "" : " ") + std::to_string(token);
    return out;
}

nlohmann::json infoJson(const IdSnapshotInfo &info)
{
    return {{"snapshot", info.id},
            {"dataset", info.dataset},
            {"scheme", info.scheme},
            {"round", info.round},
            {"name", info.name},
            {"tokenizer", info.tokenizer},
            {"tokenizer_current", info.tokenizerId.has_value()},
            {"created_at", info.createdAt},
            {"items", info.items},
            {"users", info.users},
            {"options", info.options},
            {"stats", info.stats}};
}

nlohmann::json entryJson(const IdEntry &entry)
{
    return {{"kind", idKindName(entry.kind)},
            {"index", entry.index},
            {"raw_id", entry.rawId},
            {"text", entry.text},
            {"tokens", entry.tokens}};
}

struct AssignArgs {
    std::string project;
    IdAssignmentOptions options;
    std::string from, usersFrom, generator, userHistory = "leak-free";
    std::map<std::string, std::string> schemeOptions; // registry-declared flags, as typed
    int nproc = 1; // data-parallel ranks started on this machine (textual scheme)
    bool json = false;
};

// A flag for every option the registry's schemes declare that has no hand-made flag above (the
// typed options of title, file and textual); the values go to IdAssignmentOptions::schemeOptions.
void addSchemeOptionFlags(CLI::App &command, std::map<std::string, std::string> &values)
{
    struct Flag {
        std::string schemes, help;
        std::vector<std::pair<std::string, std::string>> defaults; // scheme, its default
    };
    std::map<std::string, Flag> flags;
    for (const auto &scheme : allIdSchemes()) {
        for (const IdSchemeOption &option : scheme->options()) {
            if (command.get_option_no_throw("--" + option.name))
                continue;
            Flag &flag = flags[option.name];
            flag.schemes += (flag.schemes.empty() ? "" : ", ") + scheme->name();
            if (flag.help.empty())
                flag.help = option.help;
            flag.defaults.emplace_back(scheme->name(), option.defaultValue.dump());
        }
    }
    // One default when the schemes sharing a flag agree, else each scheme's ("levels": rqvae 3, letter 4).
    for (const auto &[name, flag] : flags) {
        std::string defaults;
        const bool agree = std::all_of(flag.defaults.begin(), flag.defaults.end(),
                                       [&](const auto &d) { return d.second == flag.defaults.front().second; });
        if (agree)
            defaults = "default " + flag.defaults.front().second;
        else
            for (const auto &[scheme, value] : flag.defaults)
                defaults += (defaults.empty() ? "default: " : ", ") + scheme + " " + value;
        command.add_option("--" + name, values[name], flag.schemes + " scheme: " + flag.help + " (" + defaults + ")");
    }
}

// The scheme's options as the user typed them; absent ones fall back to the scheme's defaults.
nlohmann::json schemeOptionsJson(const std::map<std::string, std::string> &values)
{
    nlohmann::json json = nlohmann::json::object();
    for (const auto &[name, value] : values)
        if (!value.empty())
            json[name] = value;
    return json;
}

void printSchemes(bool json)
{
    if (json) {
        printJson(idSchemesJson());
        return;
    }
    for (const auto &scheme : allIdSchemes()) {
        std::string needs;
        for (const auto &need : scheme->needs().names())
            needs += (needs.empty() ? "" : ", ") + need;
        std::cout << scheme->name() << "\t" << scheme->description() << "\n    needs: " << (needs.empty() ? "nothing" : needs)
                  << "\n";
        for (const IdSchemeOption &option : scheme->options())
            std::cout << "    --" << option.name << "  " << option.help << " (default " << option.defaultValue.dump()
                      << ")\n";
    }
}

void runAssign(const AssignArgs &args)
{
    IdAssignmentOptions options = args.options;
    options.fromFile = args.from;
    options.usersFrom = args.usersFrom;
    options.generatorCheckpoint = args.generator;
    options.userHistory = parseUserIdHistory(args.userHistory);
    options.schemeOptions = schemeOptionsJson(args.schemeOptions);
    if (launchedDataParallelRanks(args.nproc))
        return;
    const auto group = joinGroupFromEnvironment();
    options.group = group.get();
    Database db(args.project, Database::Mode::OpenExisting);
    if (group && !group->isLeader()) { // rank 0 reports; the others print only their errors
        JobEvents quiet;
        (void)assignIds(db, options, quiet);
        return;
    }
    CliEvents events(args.json);
    const IdAssignmentReport report = assignIds(db, options, events);
    events.finish();
    const IdStats &items = report.items;
    const IdStats &users = report.users;
    if (args.json) {
        printJson({{"snapshot", report.snapshot.id},
                   {"dataset", report.snapshot.dataset},
                   {"scheme", report.snapshot.scheme},
                   {"round", report.snapshot.round},
                   {"name", report.snapshot.name},
                   {"tokenizer", report.snapshot.tokenizer},
                   {"tokenizer_trained", report.tokenizerTrained},
                   {"items", items.entities},
                   {"unique", items.unique},
                   {"mean_tokens", items.meanTokens},
                   {"collisions_resolved", items.collisionsResolved},
                   {"escalations", items.escalations},
                   {"fallbacks", items.fallbacks},
                   {"empty_candidates", items.emptyCandidates},
                   {"users", users.entities},
                   {"users_unique", users.unique},
                   {"user_mean_tokens", users.meanTokens},
                   {"user_collisions_resolved", users.collisionsResolved},
                   {"user_fallbacks", users.fallbacks},
                   {"seconds", report.seconds},
                   {"stats", report.snapshot.stats}});
        return;
    }
    std::cout << "ID snapshot " << report.snapshot.id << " of dataset '" << report.snapshot.dataset << "' ("
              << report.snapshot.scheme << ", round " << report.snapshot.round << ", tokenizer '"
              << report.snapshot.tokenizer << "'" << (report.tokenizerTrained ? ", just trained" : "") << ")\n";
    auto printKind = [](const char *label, const IdStats &stats) {
        if (stats.entities == 0) {
            std::cout << "  " << label << "  none\n";
            return;
        }
        std::cout << "  " << label << "  " << stats.entities << " IDs, " << stats.unique << " unique, "
                  << fixed(stats.meanTokens, 2) << " tokens on average, " << stats.collisionsResolved
                  << " collisions resolved, " << stats.escalations << " escalations, " << stats.fallbacks
                  << " fallbacks, " << stats.emptyCandidates << " empty candidates (" << fixed(stats.seconds, 2)
                  << " s; order: " << stats.order << ")\n";
    };
    printKind("items", items);
    printKind("users", users);
    std::cout << "  took    " << fixed(report.seconds, 2) << " s\n";
}

void printInfo(const IdSnapshotInfo &info)
{
    std::cout << info.id << "\t" << info.dataset << "\t" << info.scheme << "\tround " << info.round << "\t" << info.name
              << "\t" << info.items << " items\t" << info.users << " users\t" << info.tokenizer
              << (info.tokenizerId ? "" : " (replaced)") << "\t" << info.createdAt << "\n";
}

} // namespace

void addIdCommands(CLI::App &app)
{
    auto *ids = app.add_subcommand("ids", "Assign, inspect and export item and user IDs");
    ids->require_subcommand(1);

    auto assign = std::make_shared<AssignArgs>();
    auto *assignCommand = ids->add_subcommand("assign", "Give a dataset's items and users IDs with one scheme");
    assignCommand->add_option("--project", assign->project, "Project file")->required();
    assignCommand->add_option("--dataset", assign->options.dataset, "Dataset name")->required();
    assignCommand->add_option("--scheme", assign->options.scheme, "One of: " + idSchemeList() + " (see 'ids schemes')")
        ->required()
        ->check(CLI::IsMember(idSchemeNames()));
    assignCommand->add_option("--from", assign->from, "file scheme: item IDs, `raw_id word word ...` lines");
    assignCommand->add_option("--users-from", assign->usersFrom,
                              "file scheme: user IDs in the same format (default: users numbered 1..U)");
    assignCommand->add_flag("--repair", assign->options.repairFile,
                            "file scheme: give empty or repeated IDs a fallback ID instead of failing");
    assignCommand->add_option("--round", assign->options.round, "Alternate-training round")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    assignCommand->add_option("--name", assign->options.name, "Snapshot name (default: '<scheme> round <round>')");
    assignCommand->add_option("--tokenizer", assign->options.tokenizer,
                              "The dataset's tokenizer (\"default\" is trained when missing)")
        ->capture_default_str();
    assignCommand->add_option("--title-words", assign->options.titleWords, "title scheme: words of the title")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    assignCommand->add_option("--generator", assign->generator,
                              "textual scheme: ID generator checkpoint (default: the project's, warm-started on "
                              "TF-IDF keyword IDs when missing)");
    GeneratorWarmupOptions &warmup = assign->options.warmup;
    assignCommand->add_option("--generator-config", warmup.config, "textual scheme: size of a warm-started generator "
                                                                   "(tiny, mini, tiger, small or a config.json)")
        ->capture_default_str();
    assignCommand->add_option("--warmup-epochs", warmup.epochs, "textual scheme: epochs of the warm start")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    assignCommand->add_option("--warmup-learning-rate", warmup.learningRate,
                              "textual scheme: peak learning rate of the warm start (AdamW, linear decay)")
        ->capture_default_str()
        ->check(CLI::Range(1e-8, 1.0));
    assignCommand
        ->add_option_function<int>(
            "--max-source-tokens",
            [assign](int tokens) {
                assign->options.maxSourceTokens = tokens;
                assign->options.warmup.maxSourceTokens = tokens;
            },
            "textual scheme: tokens of an item's or user's text the generator reads, in the warm start too "
            "(default: 256 when assigning, 96 when warm-starting)")
        ->check(CLI::Range(2, 4096));
    assignCommand->add_option("--groups", assign->options.groups, "textual scheme: candidates per try (Algorithm 1's G)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    assignCommand->add_option("--device", assign->options.device, "textual scheme: cpu, cuda or cuda:N")
        ->capture_default_str();
    assignCommand->add_option("--user-history", assign->userHistory,
                              "textual scheme: items behind user IDs: leak-free (items[:-2]) or leaky (all items: "
                              "the published code's leak, for reproduction only)")
        ->capture_default_str()
        ->check(CLI::IsMember({"leak-free", "leaky"}));
    assignCommand->add_option("--batch", assign->options.unique.batchSize, "Entities asked for candidates at once")
        ->capture_default_str()
        ->check(CLI::Range(1, 1 << 20));
    assignCommand->add_option("--max-length-escalations", assign->options.unique.maxLengthEscalations,
                              "Length escalations before the suffix fallback")
        ->capture_default_str()
        ->check(CLI::Range(0, 100));
    addSchemeOptionFlags(*assignCommand, assign->schemeOptions);
    assignCommand->add_option("--nproc", assign->nproc,
                              "textual scheme: start N ranks of this command on this machine, which share the "
                              "generator's searches (c10d Gloo; the same IDs as one process). With torchrun's "
                              "WORLD_SIZE/RANK/MASTER_* set, a process joins that group instead")
        ->capture_default_str();
    assignCommand->add_flag("--json", assign->json, "Print JSON lines (progress events, then the summary)");
    assignCommand->callback([assign] { runAssign(*assign); });

    auto schemesJson = std::make_shared<bool>(false);
    auto *schemesCommand = ids->add_subcommand("schemes", "List the ID schemes, what each needs and its options");
    schemesCommand->add_flag("--json", *schemesJson, "Print JSON");
    schemesCommand->callback([schemesJson] { printSchemes(*schemesJson); });

    struct ExportArgs {
        std::string project, out;
        std::int64_t snapshot = 0;
        bool users = false;
    };
    auto exportArgs = std::make_shared<ExportArgs>();
    auto *exportCommand = ids->add_subcommand("export", "Write a snapshot's IDs as `raw_id word word ...` lines");
    exportCommand->add_option("--project", exportArgs->project, "Project file")->required();
    exportCommand->add_option("--snapshot", exportArgs->snapshot, "Snapshot id (see 'ids list')")->required();
    exportCommand->add_option("--out", exportArgs->out, "Output file")->required();
    exportCommand->add_flag("--users", exportArgs->users, "Export the user IDs instead of the item IDs");
    exportCommand->callback([exportArgs] {
        Database db(exportArgs->project, Database::Mode::OpenExisting);
        const IdKind kind = exportArgs->users ? IdKind::User : IdKind::Item;
        const std::size_t lines = exportIds(db, exportArgs->snapshot, kind, exportArgs->out);
        std::cerr << lines << " " << idKindName(kind) << " IDs written to " << exportArgs->out << "\n";
    });

    struct ListArgs {
        std::string project, dataset;
        bool json = false;
    };
    auto list = std::make_shared<ListArgs>();
    auto *listCommand = ids->add_subcommand("list", "List the ID snapshots of a project");
    listCommand->add_option("--project", list->project, "Project file")->required();
    listCommand->add_option("--dataset", list->dataset, "Only this dataset's");
    listCommand->add_flag("--json", list->json, "Print JSON");
    listCommand->callback([list] {
        Database db(list->project, Database::Mode::OpenExisting);
        const auto infos = IdSnapshotRepository(db).list(list->dataset);
        if (list->json) {
            printJsonArray(infos, [](const auto &info) { return infoJson(info); });
            return;
        }
        if (infos.empty())
            std::cout << "no ID snapshots yet; make one with 'idgenrec ids assign'\n";
        for (const auto &info : infos)
            printInfo(info);
    });

    struct ShowArgs {
        std::string project, find;
        std::int64_t snapshot = 0;
        std::int64_t limit = 10;
        bool users = false;
        bool json = false;
    };
    auto show = std::make_shared<ShowArgs>();
    auto *showCommand = ids->add_subcommand("show", "Show a snapshot's summary and first IDs, or find an ID");
    showCommand->add_option("--project", show->project, "Project file")->required();
    showCommand->add_option("--snapshot", show->snapshot, "Snapshot id (see 'ids list')")->required();
    showCommand->add_option("--limit", show->limit, "IDs to show")->capture_default_str()->check(CLI::NonNegativeNumber);
    showCommand->add_flag("--users", show->users, "Show user IDs instead of item IDs");
    showCommand->add_option("--find", show->find, "The entity whose ID is this text");
    showCommand->add_flag("--json", show->json, "Print one JSON object");
    showCommand->callback([show] {
        Database db(show->project, Database::Mode::OpenExisting);
        const IdSnapshotRepository repository(db);
        const IdSnapshotInfo info = repository.get(show->snapshot);
        const IdKind kind = show->users ? IdKind::User : IdKind::Item;
        std::vector<IdEntry> entries;
        if (!show->find.empty()) {
            if (auto entry = repository.findByText(show->snapshot, kind, show->find))
                entries.push_back(std::move(*entry));
            else if (!show->json)
                std::cerr << "no " << idKindName(kind) << " has the ID '" << show->find << "'\n";
        } else {
            entries = repository.entries(show->snapshot, kind, 0, show->limit);
        }
        if (show->json) {
            nlohmann::json json = infoJson(info);
            json["entries"] = nlohmann::json::array();
            for (const auto &entry : entries)
                json["entries"].push_back(entryJson(entry));
            printJson(json);
            return;
        }
        std::cout << "ID snapshot " << info.id << " '" << info.name << "' of dataset '" << info.dataset << "': "
                  << info.scheme << ", round " << info.round << ", tokenizer '" << info.tokenizer << "'"
                  << (info.tokenizerId ? "" : " (since replaced)") << ", " << info.createdAt << "\n";
        for (const char *key : {"items", "users"}) {
            const IdStats stats = IdStats::fromJson(info.stats.value(key, nlohmann::json::object()));
            if (stats.entities == 0)
                continue;
            std::cout << "  " << key << "  " << stats.entities << " IDs, " << stats.unique << " unique, "
                      << fixed(stats.meanTokens, 2) << " tokens on average, " << stats.fallbacks << " fallbacks\n";
        }
        for (const auto &entry : entries)
            std::cout << entry.index << "\t" << entry.rawId << "\t" << entry.text << "\t[" << joinedTokens(entry.tokens)
                      << "]\n";
    });

    struct RemoveArgs {
        std::string project;
        std::int64_t snapshot = 0;
    };
    auto remove = std::make_shared<RemoveArgs>();
    auto *removeCommand = ids->add_subcommand("remove", "Delete an ID snapshot");
    removeCommand->add_option("--project", remove->project, "Project file")->required();
    removeCommand->add_option("--snapshot", remove->snapshot, "Snapshot id (see 'ids list')")->required();
    removeCommand->callback([remove] {
        Database db(remove->project, Database::Mode::OpenExisting);
        IdSnapshotRepository(db).remove(remove->snapshot);
        std::cerr << "ID snapshot " << remove->snapshot << " removed\n";
    });

    struct DiffArgs {
        std::string project;
        std::int64_t from = 0, to = 0;
        std::size_t limit = 10;
        bool json = false;
    };
    auto diff = std::make_shared<DiffArgs>();
    auto *diffCommand = ids->add_subcommand("diff", "How item IDs moved between two snapshots (e.g. two training rounds)");
    diffCommand->add_option("--project", diff->project, "Project file")->required();
    diffCommand->add_option("--from", diff->from, "The earlier snapshot")->required();
    diffCommand->add_option("--to", diff->to, "The later snapshot")->required();
    diffCommand->add_option("--limit", diff->limit, "Examples to show")->capture_default_str();
    diffCommand->add_flag("--json", diff->json, "Print JSON");
    diffCommand->callback([diff] {
        Database db(diff->project, Database::Mode::OpenExisting);
        IdSnapshotRepository snapshots(db);
        const IdSnapshot from = snapshots.load(diff->from);
        const IdSnapshot to = snapshots.load(diff->to);
        const IdDiff result = diffSnapshots(DatasetRepository(db).load(from.dataset), from, to, diff->limit);
        if (diff->json) {
            printJson(result.toJson());
            return;
        }
        std::cout << result.changed << " of " << result.items << " item IDs changed (" << fixed(100.0 * result.changedFraction, 1)
                  << " %), mean word edit distance " << fixed(result.meanEditWords, 2) << "\n";
        for (const auto &e : result.examples)
            std::cout << "  " << e.rawId << "  " << e.oldId << "  ->  " << e.newId << "\n      " << e.text << "\n";
    });
}

} // namespace idgen::cli
