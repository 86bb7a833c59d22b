#include "ids/IdAssignmentJob.h"

#include "ids/IdSnapshotRepository.h"
#include "ids/ScaledEvents.h"
#include "ids/schemes/IdScheme.h"
#include "jobs/JobJournal.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "text/TokenizerJob.h"
#include "text/TokenizerRepository.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Error.h"

#include <chrono>

namespace idgen {
namespace {

// The job's progress: the scheme's work between these marks, training a tokenizer before.
constexpr double kTokenizerFrom = 0.02;
constexpr double kSchemeFrom = 0.2;
constexpr double kSchemeTo = 0.95;

void fillIdentity(IdSnapshot &snapshot, const IdAssignmentOptions &options)
{
    snapshot.dataset = options.dataset;
    snapshot.tokenizer = options.tokenizer;
    snapshot.scheme = options.scheme;
    snapshot.round = options.round;
    snapshot.name = options.effectiveName();
    // A scheme may have recorded details of its own (the textual one: the generator it read).
    nlohmann::json merged = options.toJson();
    if (snapshot.options.is_object())
        merged.update(snapshot.options);
    snapshot.options = std::move(merged);
}

void throwIfStopped(StopToken stop)
{
    if (stop.stopRequested())
        throw Cancelled();
}

// The dataset's tokenizer, trained with default options when it is the missing "default" one.
bool ensureTokenizer(const Database &db, const IdAssignmentOptions &options, JobEvents &events)
{
    const TokenizerRepository tokenizers(db);
    if (tokenizers.find(options.dataset, options.tokenizer))
        return false;
    if (options.tokenizer != TokenizerRepository::kDefaultName)
        tokenizers.get(options.dataset, options.tokenizer); // throws, naming the ones it has
    const TokenizerOptions defaults;
    events.log("dataset '" + options.dataset + "' has no tokenizer '" + options.tokenizer +
               "' yet: training one with default options (" + defaults.type + ", " +
               std::to_string(defaults.vocabSize) + " pieces)");
    ScaledEvents training(events, kTokenizerFrom, kSchemeFrom);
    try {
        trainDatasetTokenizer(db, options.dataset, options.tokenizer, defaults, training);
    } catch (const Cancelled &) {
        throw;
    } catch (const Error &error) {
        throw Error(std::string(error.what()) +
                    " (IDs are encoded with the dataset's tokenizer: import a pretrained one with "
                    "'idgenrec tokenizer import')");
    }
    return true;
}

// The one place a scheme runs: timed, its record completed, identity filled in.
IdSnapshot runScheme(const IdSchemeInput &input, JobEvents &events, StopToken stop)
{
    const IdScheme &scheme = idSchemeByName(input.options.scheme);
    const auto started = std::chrono::steady_clock::now();
    IdSnapshot snapshot = scheme.assign(input, events, stop);
    throwIfStopped(stop);
    IdSchemeRecord &record = snapshot.record;
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    record.meanIdTokens = snapshot.items.stats.meanTokens;
    if (!record.collisionsBeforeDedup)
        record.collisionsBeforeDedup = snapshot.items.stats.collisionsResolved;
    fillIdentity(snapshot, input.options);
    return snapshot;
}

// A data-parallel assignment's group, checked: null for one process.
ProcessGroupContext *assignmentGroup(const IdAssignmentOptions &options)
{
    if (!options.group || options.group->worldSize() == 1)
        return nullptr;
    if (options.scheme != "textual")
        throw Error("the '" + options.scheme + "' scheme runs in one process; data-parallel ID assignment (--nproc, "
                    "WORLD_SIZE) splits the textual scheme's generator searches (Algorithm 1)");
    return options.group;
}

constexpr const char *kTokenizerBarrier = "waiting for rank 0's tokenizer";

// Rank 0 saved the snapshot; every rank learns its id (a sum where only rank 0 adds).
std::int64_t agreeOnSnapshot(ProcessGroupContext *group, std::int64_t id)
{
    if (!group)
        return id;
    const double sum = group->sumScalars({group->isLeader() ? static_cast<double>(id) : 0.0}, "the snapshot id").front();
    return static_cast<std::int64_t>(sum);
}

// A rank other than 0: the same scheme run (its share of the generator's searches), nothing written.
IdAssignmentReport followAssignment(const Database &db, const IdAssignmentOptions &options, ProcessGroupContext &group,
                                    JobEvents &events, StopToken stop)
{
    const auto started = std::chrono::steady_clock::now();
    IdAssignmentReport report;
    const Dataset dataset = DatasetRepository(db).load(options.dataset);
    group.barrier(kTokenizerBarrier);
    const Tokenizer tokenizer = TokenizerRepository(db).load(options.dataset, options.tokenizer);
    const IdSnapshot snapshot = runScheme({&db, dataset, tokenizer, options}, events, stop);
    report.snapshot = IdSnapshotRepository(db).get(agreeOnSnapshot(&group, 0));
    report.items = snapshot.items.stats;
    report.users = snapshot.users.stats;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace

IdSnapshot buildIdSnapshot(const Dataset &dataset, const Tokenizer &tokenizer, const IdAssignmentOptions &options,
                           JobEvents &events, StopToken stop)
{
    options.validate();
    if (idSchemeByName(options.scheme).needs().project)
        throw Error("the '" + options.scheme + "' scheme needs a project and a generator: run it through assignIds");
    return runScheme({nullptr, dataset, tokenizer, options}, events, stop);
}

IdAssignmentReport assignIds(const Database &db, const IdAssignmentOptions &options, JobEvents &events, StopToken stop)
{
    options.validate();
    ProcessGroupContext *group = assignmentGroup(options);
    if (group && !group->isLeader())
        return followAssignment(db, options, *group, events, stop);
    return journalled(db, "ids", options.toJson().dump(), [&] {
        const auto started = std::chrono::steady_clock::now();
        IdAssignmentReport report;
        events.progress(0.0, "loading the dataset");
        const Dataset dataset = DatasetRepository(db).load(options.dataset);
        throwIfStopped(stop);
        report.tokenizerTrained = ensureTokenizer(db, options, events);
        if (group)
            group->barrier(kTokenizerBarrier);
        throwIfStopped(stop);
        const TokenizerRepository tokenizers(db);
        const TokenizerInfo tokenizerInfo = tokenizers.get(options.dataset, options.tokenizer);
        const Tokenizer tokenizer = tokenizers.load(options.dataset, options.tokenizer);

        ScaledEvents schemeEvents(events, kSchemeFrom, kSchemeTo);
        IdSnapshot snapshot = runScheme({&db, dataset, tokenizer, options}, schemeEvents, stop);
        snapshot.tokenizerId = tokenizerInfo.id;
        throwIfStopped(stop);

        events.progress(kSchemeTo, "writing the project file");
        const std::int64_t id = agreeOnSnapshot(group, IdSnapshotRepository(db).save(snapshot));
        report.snapshot = IdSnapshotRepository(db).get(id);
        report.items = snapshot.items.stats;
        report.users = snapshot.users.stats;
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        events.progress(1.0, "done");
        return report;
    });
}

} // namespace idgen
