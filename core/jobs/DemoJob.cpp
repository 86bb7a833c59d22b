#include "jobs/DemoJob.h"

#include "jobs/JobJournal.h"
#include "store/Database.h"

namespace idgen {

DatasetInfo createDemoDataset(const Database &db, const std::string &name, JobEvents &events,
                              const DemoOptions &options)
{
    // The journal records the sizes actually used, so version defaults are visible there too.
    const DemoSizes sizes = demoSizes(options);
    const nlohmann::json optionsJson = {{"name", name},          {"version", options.version},
                                        {"seed", options.seed},  {"items", sizes.items},
                                        {"users", sizes.users},  {"min_sequence", sizes.minSequence},
                                        {"max_sequence", sizes.maxSequence}};
    return journalled(db, "demo", optionsJson.dump(), [&] {
        events.progress(0.0, "generating the demo catalog");
        const Dataset dataset = generateDemoDataset(options);
        DatasetRepository repository(db);
        if (const auto existing = repository.find(name); existing && existing->contentHash == dataset.contentHash()) {
            events.log("the project already holds this demo dataset as '" + name + "'");
            return *existing;
        }
        events.progress(0.5, "writing the project file");
        repository.save(name, dataset, true);
        events.progress(1.0, "done");
        return repository.get(name);
    });
}

} // namespace idgen
