#include "cli/DatasetCommands.h"

#include "cli/CliEvents.h"
#include "data/SequenceExport.h"
#include "jobs/DemoJob.h"
#include "jobs/ImportJob.h"
#include "store/Database.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace idgen::cli {
namespace {

nlohmann::json infoJson(const DatasetInfo &info)
{
    return {{"name", info.name},
            {"format", info.format},
            {"created_at", info.createdAt},
            {"users", info.users},
            {"items", info.items},
            {"interactions", info.interactions},
            {"items_with_text", info.itemsWithText},
            {"has_timestamps", info.hasTimestamps},
            {"kcore", info.kcore},
            {"content_hash", info.contentHash},
            {"report", toJson(info.report)}};
}

void printSummary(const DatasetInfo &info)
{
    const ImportReport &r = info.report;
    std::cout << "dataset '" << info.name << "' (" << info.format << ")\n"
              << "  users         " << info.users << "\n"
              << "  items         " << info.items << " (" << info.itemsWithText << " with text)\n"
              << "  interactions  " << info.interactions << (info.hasTimestamps ? " (timestamped)" : "") << "\n"
              << "  k-core        " << info.kcore;
    if (info.kcore > 1)
        std::cout << ": removed " << r.kcoreRemovedUsers << " users, " << r.kcoreRemovedItems << " items, "
                  << r.kcoreRemovedInteractions << " interactions in " << r.kcoreIterations << " passes";
    std::cout << "\n";
    if (r.metadataRecords > 0)
        std::cout << "  metadata      " << r.metadataRecords << " records, " << r.metadataIgnored
                  << " for items without interactions (ignored)\n";
    if (r.timestampTies > 0)
        std::cout << "  ties          " << r.timestampTies << " consecutive interactions share a timestamp (file order kept)\n";
    for (const auto &warning : r.warnings)
        std::cout << "  warning: " << warning << "\n";
    std::cout << "  content hash  " << info.contentHash << "\n";
}

struct ImportArgs {
    std::string project;
    ImportOptions options;
    std::string items;
    std::string datamaps;
    int kcore = -1;
    bool json = false;
};

void runImportCommand(const ImportArgs &args)
{
    ImportOptions options = args.options;
    if (!args.items.empty())
        options.sources.items = args.items;
    if (!args.datamaps.empty())
        options.sources.datamaps = args.datamaps;
    if (args.kcore >= 0)
        options.kcore = args.kcore;
    Database db(args.project);
    CliEvents events(args.json);
    const DatasetInfo info = runImport(db, options, events);
    events.finish();
    if (args.json)
        printJson(infoJson(info));
    else
        printSummary(info);
}

} // namespace

void addDatasetCommands(CLI::App &app)
{
    auto import = std::make_shared<ImportArgs>();
    auto *importCommand = app.add_subcommand("import", "Import a dataset into a project file");
    importCommand->add_option("--project", import->project, "Project file (created when missing)")->required();
    importCommand->add_option("--name", import->options.name, "Dataset name in the project")->required();
    importCommand->add_option("--interactions", import->options.sources.interactions, "Interactions file")->required();
    importCommand->add_option("--items", import->items, "Item metadata file (may be of another format)");
    importCommand->add_option("--datamaps", import->datamaps, "P5 datamaps.json (p5 format)");
    importCommand->add_option("--format", import->options.format,
                              "Interactions format (detected when omitted): " + supportedFormatList());
    importCommand->add_option("--items-format", import->options.itemsFormat, "Items format (detected when omitted)");
    importCommand->add_option("--kcore", import->kcore,
                              "k-core filter (default: 5 for raw dumps, 0 for preprocessed formats)")
        ->check(CLI::NonNegativeNumber);
    importCommand->add_flag("--replace", import->options.replace, "Replace a dataset of the same name");
    auto &csv = import->options.sources.csv;
    importCommand->add_option("--user-column", csv.userColumn, "csv: user column (name or 0-based number)");
    importCommand->add_option("--item-column", csv.itemColumn, "csv: item column (name or 0-based number)");
    importCommand->add_option("--time-column", csv.timeColumn, "csv: timestamp column (optional)");
    importCommand->add_option("--time-format", csv.timeFormat, "csv: strptime format of the timestamp (default: epoch seconds)");
    importCommand->add_option("--item-id-column", csv.itemIdColumn, "csv: item id column of the items file");
    importCommand->add_option("--delimiter", csv.delimiter, "csv: field delimiter (detected when omitted)");
    importCommand->add_flag("!--no-header", csv.header, "csv: the files have no header line");
    importCommand->add_flag("--json", import->json, "Print JSON lines (progress events, then the summary)");
    importCommand->callback([import] { runImportCommand(*import); });

    auto datasets = std::make_shared<std::pair<std::string, bool>>();
    auto *datasetsCommand = app.add_subcommand("datasets", "List the datasets of a project");
    datasetsCommand->add_option("--project", datasets->first, "Project file")->required();
    datasetsCommand->add_flag("--json", datasets->second, "Print JSON");
    datasetsCommand->callback([datasets] {
        Database db(datasets->first, Database::Mode::OpenExisting);
        const auto list = DatasetRepository(db).list();
        if (datasets->second) {
            nlohmann::json array = nlohmann::json::array();
            for (const auto &info : list)
                array.push_back(infoJson(info));
            printJson(array);
            return;
        }
        if (list.empty())
            std::cout << "no datasets yet; add one with 'idgenrec import' or 'idgenrec demo'\n";
        for (const auto &info : list)
            std::cout << info.name << "\t" << info.format << "\t" << info.users << " users\t" << info.items
                      << " items\t" << info.interactions << " interactions\n";
    });

    struct StatsArgs {
        std::string project, dataset;
        bool json = false;
    };
    auto stats = std::make_shared<StatsArgs>();
    auto *statsCommand = app.add_subcommand("stats", "Show a dataset's summary");
    statsCommand->add_option("--project", stats->project, "Project file")->required();
    statsCommand->add_option("--dataset", stats->dataset, "Dataset name")->required();
    statsCommand->add_flag("--json", stats->json, "Print one JSON object");
    statsCommand->callback([stats] {
        Database db(stats->project, Database::Mode::OpenExisting);
        const DatasetInfo info = DatasetRepository(db).get(stats->dataset);
        if (stats->json)
            printJson(infoJson(info));
        else
            printSummary(info);
    });

    struct ExportArgs {
        std::string project, dataset, out;
    };
    auto exportArgs = std::make_shared<ExportArgs>();
    auto *exportCommand = app.add_subcommand("export", "Export data from a project");
    exportCommand->require_subcommand(1);
    auto *sequences = exportCommand->add_subcommand("sequences", "Write 'user item item ...' lines with raw ids");
    sequences->add_option("--project", exportArgs->project, "Project file")->required();
    sequences->add_option("--dataset", exportArgs->dataset, "Dataset name")->required();
    sequences->add_option("--out", exportArgs->out, "Output file")->required();
    sequences->callback([exportArgs] {
        Database db(exportArgs->project, Database::Mode::OpenExisting);
        writeSequenceFile(DatasetRepository(db).load(exportArgs->dataset), exportArgs->out);
    });

    struct DemoArgs {
        std::string project, name = "demo";
        int version = DemoOptions().version;
        bool json = false;
    };
    auto demo = std::make_shared<DemoArgs>();
    auto *demoCommand = app.add_subcommand("demo", "Create the built-in demo dataset in a project");
    demoCommand->add_option("--project", demo->project, "Project file (created when missing)")->required();
    demoCommand->add_option("--name", demo->name, "Dataset name")->capture_default_str();
    demoCommand
        ->add_option("--version", demo->version,
                     "2: the small teaching shop whose item text carries the next item; 1: the classic, larger shop")
        ->check(CLI::IsMember({1, 2}))
        ->capture_default_str();
    demoCommand->add_flag("--json", demo->json, "Print the summary as JSON");
    demoCommand->callback([demo] {
        Database db(demo->project);
        CliEvents events(demo->json);
        DemoOptions options;
        options.version = demo->version;
        const DatasetInfo info = createDemoDataset(db, demo->name, events, options);
        events.finish();
        if (demo->json)
            printJson(infoJson(info));
        else
            printSummary(info);
    });
}

} // namespace idgen::cli
