#include "ids/NumberIds.h"
#include "ids/SnapshotVocabulary.h"
#include "ids/schemes/Schemes.h"

namespace idgen {
namespace {

// Item IDs as one new token each (IID, method.md section 5): `<a_INDEX>`, the dataset's item
// index. The recommender learns an embedding per item, as a classic sequential recommender.
class AtomicIdScheme final : public IdScheme {
public:
    std::string name() const override { return "atomic"; }
    std::string description() const override
    {
        return "one new token per item, <a_INDEX> (IID); the vocabulary grows by the item count";
    }
    IdSchemeNeeds needs() const override { return {}; }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        IdSnapshot snapshot;
        AddedTokenTable added(input.tokenizer, snapshot);
        const std::size_t items = input.dataset.itemCount();
        std::vector<int> codes(items);
        for (std::size_t item = 0; item < items; ++item) {
            std::string token = "<a_" + std::to_string(item) + ">";
            const int id = added.id(token);
            snapshot.items.push(std::move(token), {id});
            codes[item] = static_cast<int>(item);
        }
        stop.throwIfRequested();
        snapshot.items.computeShapeStats();
        snapshot.items.stats.order = "item index";
        snapshot.users = numberedUserIds(input.dataset, input.tokenizer);
        snapshot.record.collisionsBeforeDedup = 0;
        snapshot.record.codeUsage.push_back(CodeUsage::of(1, items, codes));
        events.progress(1.0, "user IDs");
        return snapshot;
    }
};

} // namespace

std::unique_ptr<IdScheme> makeAtomicIdScheme()
{
    return std::make_unique<AtomicIdScheme>();
}

} // namespace idgen
