#include "ids/TextualScheme.h"
#include "ids/schemes/Schemes.h"
#include "util/Error.h"

namespace idgen {
namespace {

// IDGenRec's textual IDs (TextualScheme.h); options are typed fields of IdAssignmentOptions
// because alternate training sets them.
class TextualIdScheme final : public IdScheme {
public:
    std::string name() const override { return "textual"; }
    std::string description() const override
    {
        return "IDGenRec: the ID generator's diverse beam search under Algorithm 1, for items, then users";
    }
    IdSchemeNeeds needs() const override
    {
        IdSchemeNeeds needs;
        needs.generatorModel = true;
        needs.itemText = true;
        needs.project = true;
        return needs;
    }
    std::vector<IdSchemeOption> options() const override
    {
        return {{"generator", "ID generator checkpoint (default: the project's, warm-started when missing)", ""},
                {"generator-config", "size of a warm-started generator (tiny, mini, tiger, small or a config.json)", "tiger"},
                {"warmup-epochs", "epochs of the warm start", 2},
                {"groups", "candidates per try (Algorithm 1's G)", 10},
                {"device", "cpu, cuda or cuda:N", "cpu"},
                {"user-history", "items behind user IDs: leak-free (items[:-2]) or leaky", "leak-free"},
                {"batch", "entities asked for candidates at once", 256},
                {"max-length-escalations", "length escalations before the suffix fallback", 2}};
    }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        if (!input.db)
            throw Error("the 'textual' scheme needs a project and a generator: run it through assignIds");
        return assignTextualIds(*input.db, input.dataset, input.tokenizer, input.options, events, stop);
    }
};

} // namespace

std::unique_ptr<IdScheme> makeTextualIdScheme()
{
    return std::make_unique<TextualIdScheme>();
}

} // namespace idgen
