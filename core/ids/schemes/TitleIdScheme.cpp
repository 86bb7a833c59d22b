#include "ids/NumberIds.h"
#include "ids/ScaledEvents.h"
#include "ids/TitleScheme.h"
#include "ids/schemes/Schemes.h"

namespace idgen {
namespace {

// The title scheme (method.md section 5, TID); options are IdAssignmentOptions::titleWords and
// ::unique, typed fields that training configs set.
class TitleIdScheme final : public IdScheme {
public:
    std::string name() const override { return "title"; }
    std::string description() const override
    {
        return "the first words of each item's title (else of its text), repeats made unique with a suffix";
    }
    IdSchemeNeeds needs() const override
    {
        IdSchemeNeeds needs;
        needs.itemText = true;
        return needs;
    }
    std::vector<IdSchemeOption> options() const override
    {
        return {{"title-words", "words of the title", 5},
                {"batch", "entities asked for candidates at once", 256}};
    }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        ScaledEvents itemEvents(events, 0.0, 0.7);
        IdSnapshot snapshot;
        snapshot.items = titleItemIds(input.dataset, input.tokenizer, input.options.titleWords, input.options.unique,
                                      itemEvents, stop);
        stop.throwIfRequested();
        snapshot.users = numberedUserIds(input.dataset, input.tokenizer);
        events.progress(1.0, "user IDs");
        return snapshot;
    }
};

} // namespace

std::unique_ptr<IdScheme> makeTitleIdScheme()
{
    return std::make_unique<TitleIdScheme>();
}

} // namespace idgen
