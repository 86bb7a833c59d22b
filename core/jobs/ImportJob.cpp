#include "jobs/ImportJob.h"

#include "data/DatasetBuilder.h"
#include "data/formats/ImportContext.h"
#include "jobs/JobJournal.h"
#include "store/Database.h"
#include "util/Error.h"

#include <chrono>

namespace idgen {
namespace {

const Format &interactionsFormat(const ImportOptions &options)
{
    if (!options.format.empty())
        return formatByName(options.format);
    if (options.sources.datamaps)
        return formatByName("p5");
    return detectInteractionsFormat(options.sources.interactions);
}

const Format &itemsFormat(const ImportOptions &options, const Format &interactions)
{
    if (!options.itemsFormat.empty())
        return formatByName(options.itemsFormat);
    try {
        return detectItemsFormat(*options.sources.items);
    } catch (const InputError &) {
        // Undetectable items file: the interactions' own format is the best guess, when it has one.
        if (interactions.readsItems())
            return interactions;
        throw;
    }
}

nlohmann::json optionsJson(const ImportOptions &options)
{
    nlohmann::json json = {{"name", options.name},
                           {"interactions", options.sources.interactions.string()},
                           {"format", options.format},
                           {"items_format", options.itemsFormat}};
    if (options.sources.items)
        json["items"] = options.sources.items->string();
    if (options.sources.datamaps)
        json["datamaps"] = options.sources.datamaps->string();
    if (options.kcore)
        json["kcore"] = *options.kcore;
    return json;
}

} // namespace

Dataset readDataset(const ImportOptions &options, JobEvents &events, StopToken stop)
{
    const auto started = std::chrono::steady_clock::now();
    ImportContext context(events, stop);
    const Format &format = interactionsFormat(options);
    if (options.sources.items && !std::filesystem::exists(*options.sources.items))
        throw InputError(options.sources.items->string(), 0, "", "items file not found");
    if (options.sources.datamaps && !std::filesystem::exists(*options.sources.datamaps))
        throw InputError(options.sources.datamaps->string(), 0, "", "datamaps file not found");

    DatasetBuilder builder;
    ImportReport &report = builder.report();
    report.format = format.name();
    report.files.push_back(options.sources.interactions.string());
    if (options.sources.datamaps)
        report.files.push_back(options.sources.datamaps->string());
    events.log("reading interactions (" + format.name() + ") from " + options.sources.interactions.string());
    context.beginStage("reading interactions", 0.0, options.sources.items ? 0.6 : 0.85);
    format.readInteractions(options.sources, builder, context);

    const int kcore = options.kcore.value_or(format.defaultKCore());
    context.beginStage("filtering", options.sources.items ? 0.6 : 0.85, options.sources.items ? 0.65 : 0.9);
    builder.finishInteractions(kcore);

    if (options.sources.items) {
        const Format &items = itemsFormat(options, format);
        report.itemsFormat = items.name();
        report.files.push_back(options.sources.items->string());
        events.log("reading item metadata (" + items.name() + ") from " + options.sources.items->string());
        context.beginStage("reading items", 0.65, 0.9);
        items.readItems(options.sources, builder, context);
        builder.checkMetadataMatches(options.sources.items->string());
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return builder.take();
}

DatasetInfo runImport(const Database &db, const ImportOptions &options, JobEvents &events, StopToken stop)
{
    return journalled(db, "import", optionsJson(options).dump(), [&] {
        DatasetRepository repository(db);
        if (!options.replace && repository.find(options.name))
            throw Error("the project already has a dataset named '" + options.name +
                        "' (choose another name, or replace it)");
        const auto started = std::chrono::steady_clock::now();
        Dataset dataset = readDataset(options, events, stop);
        ImportContext context(events, stop);
        context.beginStage("writing the project file", 0.9, 1.0);
        dataset.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        repository.save(options.name, dataset, options.replace);
        events.progress(1.0, "done");
        return repository.get(options.name);
    });
}

} // namespace idgen
