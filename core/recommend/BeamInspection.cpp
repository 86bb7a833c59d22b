#include "recommend/BeamInspection.h"

#include "data/Dataset.h"
#include "ids/IdSnapshotRepository.h"
#include "recommend/DecodeTraceRepository.h"
#include "recommend/RecommenderCache.h"
#include "store/DatasetRepository.h"
#include "util/Error.h"

#include <filesystem>
#include <optional>

namespace idgen {
namespace {

// The test item of a user (the last of the sequence) with its ID in the snapshot.
void setTarget(BeamInspection &inspection, const Database &db, const Dataset &dataset, std::size_t user)
{
    const auto sequence = dataset.sequence(user);
    if (sequence.size() < 2)
        return;
    const std::uint32_t target = sequence.back();
    inspection.targetRawId = dataset.itemRawIds[target];
    inspection.targetTitle = itemTitle(dataset.itemFields[target]);
    const auto entries = IdSnapshotRepository(db).entries(inspection.snapshot, IdKind::Item, target, 1);
    if (!entries.empty())
        inspection.targetIdText = entries.front().text;
    for (const RankedItem &r : inspection.ranked)
        if (r.item == static_cast<std::int32_t>(target))
            inspection.targetRank = r.rank;
}

} // namespace

BeamInspection inspectDecoding(const Database &db, UserDecodeRequest request, RecommenderCache *cache)
{
    request.trace = true;
    UserDecodeResult result = decodeUser(db, request, cache);
    BeamInspection inspection;
    inspection.snapshot = request.snapshot;
    inspection.dataset = IdSnapshotRepository(db).get(request.snapshot).dataset;
    inspection.userRawId = result.userRawId;
    inspection.prompt = result.prompt;
    inspection.checkpoint = request.checkpoint.string();
    inspection.beams = request.beams;
    inspection.ranked = std::move(result.ranked);
    inspection.tree = beamTreeFromTrace(result.traceJson);
    inspection.traceId = result.traceId;
    inspection.seconds = result.seconds;
    if (!result.targetRawId.empty()) {
        // The dataset the decoding used when it is cached, else read again.
        const auto setup = cache ? cache->setup(db, request.checkpoint, request.snapshot, request.device) : nullptr;
        std::optional<Dataset> read;
        const Dataset &dataset = setup ? setup->dataset : read.emplace(DatasetRepository(db).load(inspection.dataset));
        for (std::size_t u = 0; u < dataset.userCount(); ++u)
            if (dataset.userRawIds[u] == result.userRawId)
                setTarget(inspection, db, dataset, u);
    }
    return inspection;
}

BeamInspection inspectStoredTrace(const Database &db, std::int64_t traceId)
{
    const StoredTrace stored = DecodeTraceRepository(db).load(traceId);
    BeamInspection inspection;
    inspection.snapshot = stored.snapshot;
    inspection.dataset = IdSnapshotRepository(db).get(stored.snapshot).dataset;
    inspection.prompt = stored.prompt;
    inspection.checkpoint = stored.checkpoint;
    inspection.beams = stored.beams;
    inspection.traceId = traceId;
    const Dataset dataset = DatasetRepository(db).load(inspection.dataset);
    const auto user = static_cast<std::size_t>(stored.user);
    if (user >= dataset.userCount())
        throw Error("decoding trace " + std::to_string(traceId) + ": user index " + std::to_string(user) +
                    " is not a user of dataset '" + inspection.dataset + "'");
    inspection.userRawId = dataset.userRawIds[user];
    try {
        for (const auto &r : stored.ranked) {
            RankedItem item;
            item.rank = r.at("rank").get<int>();
            item.item = r.at("item").get<std::int32_t>();
            item.rawId = r.value("raw_id", std::string());
            item.idText = r.value("id", std::string());
            item.score = r.at("score").get<double>();
            if (item.item >= 0 && static_cast<std::size_t>(item.item) < dataset.itemCount())
                item.title = itemTitle(dataset.itemFields[static_cast<std::size_t>(item.item)]);
            inspection.ranked.push_back(std::move(item));
        }
    } catch (const nlohmann::json::exception &e) {
        throw Error("decoding trace " + std::to_string(traceId) + ": field 'result': " + e.what());
    }
    inspection.tree = beamTreeFromTrace(stored.trace);
    setTarget(inspection, db, dataset, user);
    return inspection;
}

} // namespace idgen
