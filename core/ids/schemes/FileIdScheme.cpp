#include "ids/FileScheme.h"
#include "ids/NumberIds.h"
#include "ids/ScaledEvents.h"
#include "ids/schemes/Schemes.h"

namespace idgen {
namespace {

// IDs read from `raw_id word word ...` files; options are IdAssignmentOptions::fromFile,
// ::usersFrom and ::repairFile.
class FileIdScheme final : public IdScheme {
public:
    std::string name() const override { return "file"; }
    std::string description() const override
    {
        return "IDs read from `raw_id word word ...` lines (IDGenRec's item_generative_indexing_phase_0.txt)";
    }
    IdSchemeNeeds needs() const override
    {
        IdSchemeNeeds needs;
        needs.inputFile = true;
        return needs;
    }
    std::vector<IdSchemeOption> options() const override
    {
        return {{"from", "item IDs, `raw_id word word ...` lines", ""},
                {"users-from", "user IDs in the same format (default: users numbered 1..U)", ""},
                {"repair", "give empty or repeated IDs a fallback ID instead of failing", false}};
    }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        const IdAssignmentOptions &options = input.options;
        ScaledEvents itemEvents(events, 0.0, 0.7);
        ScaledEvents userEvents(events, 0.7, 1.0);
        IdSnapshot snapshot;
        snapshot.items = readIdFile(options.fromFile, input.dataset.itemRawIds, IdKind::Item, input.tokenizer,
                                    options.repairFile, itemEvents, stop);
        stop.throwIfRequested();
        if (!options.usersFrom.empty()) {
            snapshot.users = readIdFile(options.usersFrom, input.dataset.userRawIds, IdKind::User, input.tokenizer,
                                        options.repairFile, userEvents, stop);
            recordFileUserHistory(snapshot.options);
        } else {
            snapshot.users = numberedUserIds(input.dataset, input.tokenizer);
        }
        userEvents.progress(1.0, "user IDs");
        return snapshot;
    }
};

} // namespace

std::unique_ptr<IdScheme> makeFileIdScheme()
{
    return std::make_unique<FileIdScheme>();
}

} // namespace idgen
