#include "ids/NumberIds.h"
#include "ids/schemes/Schemes.h"

namespace idgen {
namespace {

// P5's sequential indexing: items numbered by first appearance, one token per digit.
class SequentialIdScheme final : public IdScheme {
public:
    std::string name() const override { return "sequential"; }
    std::string description() const override
    {
        return "P5-style numbers 1..N in order of first appearance over the users' sequences, one token per digit";
    }
    IdSchemeNeeds needs() const override { return {}; }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        IdSnapshot snapshot;
        snapshot.items = sequentialItemIds(input.dataset, input.tokenizer);
        stop.throwIfRequested();
        snapshot.users = numberedUserIds(input.dataset, input.tokenizer);
        snapshot.record.collisionsBeforeDedup = 0;
        events.progress(1.0, "user IDs");
        return snapshot;
    }
};

} // namespace

std::unique_ptr<IdScheme> makeSequentialIdScheme()
{
    return std::make_unique<SequentialIdScheme>();
}

} // namespace idgen
