#include "ids/TextualScheme.h"

#include "data/Dataset.h"
#include "data/ItemText.h"
#include "ids/GeneratorCandidates.h"
#include "ids/GeneratorWarmup.h"
#include "ids/ScaledEvents.h"
#include "ids/UniqueIdAssigner.h"
#include "ids/UserIdSource.h"
#include "model/Autocast.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "text/Tokenizer.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Error.h"

#include <filesystem>

namespace idgen {
namespace {

// Shares of the scheme's progress: warm start (when needed), items, users.
constexpr double kWarmupShare = 0.5;

} // namespace

IdSnapshot assignTextualIds(const Database &db, const Dataset &dataset, const Tokenizer &tokenizer,
                            const IdAssignmentOptions &options, JobEvents &events, StopToken stop)
{
    ProcessGroupContext *group = severalRanks(options.group);
    const bool ownGenerator = options.generatorCheckpoint.empty();
    const std::filesystem::path path = ownGenerator ? defaultGeneratorPath(db, options.dataset)
                                                    : options.generatorCheckpoint;
    double from = 0.0;
    nlohmann::json warmup = nullptr;
    if (ownGenerator && group && !group->isLeader()) {
        // Rank 0 warm-starts the generator when needed (it alone writes); the others wait for it.
        group->barrier("waiting for rank 0's ID generator (warm start)");
        from = kWarmupShare;
    } else if (ownGenerator) {
        // The project's generator, warm-started (or finished, after an interruption) here when
        // needed; a finished one is reused as it is.
        if (!std::filesystem::exists(path))
            events.log("dataset '" + options.dataset + "' has no ID generator yet: warm-starting one on TF-IDF "
                       "keyword IDs (" + path.string() + ")");
        ScaledEvents warmupEvents(events, 0.0, kWarmupShare);
        GeneratorWarmupOptions warmupOptions = options.warmup;
        warmupOptions.device = options.device;
        const GeneratorWarmupReport report =
            warmStartGenerator(dataset, tokenizer, warmupOptions, path, warmupEvents, stop);
        warmup = {{"steps", report.steps}, {"epochs_run", report.epochsRun}, {"resumed", report.resumed},
                  {"last_loss", report.lastLoss}, {"seconds", report.seconds}, {"options", options.warmup.toJson()}};
        from = kWarmupShare;
        if (group)
            group->barrier("waiting for rank 0's ID generator (warm start)");
    } else if (!std::filesystem::exists(path)) {
        throw Error("ID generator checkpoint " + path.string() + " does not exist");
    }

    const LoadedModel generator = loadModel(path, rankDevice(options.device, group));
    requireModelFitsTokenizer(generator, tokenizer.contentHash(), tokenizer.vocabSize(), "ID generator " + path.string(),
                              "the dataset's tokenizer '" + options.tokenizer + "'");
    const AutocastScope autocast(generator.model->device(), options.warmup.bf16);

    std::vector<std::string> texts;
    texts.reserve(dataset.itemCount());
    for (const auto &fields : dataset.itemFields)
        texts.push_back(renderItemText(fields));

    IdSnapshot snapshot;
    const UniqueIdAssigner assigner(tokenizer, options.unique);
    const double itemsTo = from + (1.0 - from) * 0.6;
    {
        ScaledEvents itemEvents(events, from, itemsTo);
        GeneratorCandidateSource source(*generator.model, tokenizer, std::move(texts), options.groups,
                                        options.maxSourceTokens);
        source.setGroup(group);
        snapshot.items = assigner.assign(source, dataset.itemCount(), "item", "item index", itemEvents, stop);
    }
    {
        // A user's ID is written from the IDs of the user's items (leak-free: items[:-2]).
        ScaledEvents userEvents(events, itemsTo, 1.0);
        GeneratorCandidateSource source(*generator.model, tokenizer,
                                        userHistoryTexts(dataset, snapshot.items.texts, options.userHistory),
                                        options.groups, options.maxSourceTokens);
        source.setGroup(group);
        snapshot.users = assigner.assign(source, dataset.userCount(), "user", "user index", userEvents, stop);
    }
    snapshot.options = options.toJson();
    snapshot.options["generator"] = {{"checkpoint", std::filesystem::absolute(path).string()},
                                     {"config", generator.state.config},
                                     {"step", generator.state.step},
                                     {"warm_start", warmup}};
    snapshot.options["user_history"] = userIdHistoryName(options.userHistory);
    return snapshot;
}

} // namespace idgen
