#include "ids/schemes/Schemes.h"
#include "ids/schemes/semantic/SemanticScheme.h"

#include "ids/ScaledEvents.h"

namespace idgen {
namespace {

// TIGER's semantic IDs (method.md section 5, SemID): an RQ-VAE quantises a text embedding of each
// item into `levels` codes, and an extra code breaks collisions.
class RqvaeIdScheme final : public IdScheme {
public:
    std::string name() const override { return "rqvae"; }
    std::string description() const override
    {
        return "semantic IDs (TIGER): RQ-VAE codes of an item text embedding, <a_3><b_17><c_200><d_0>, "
               "the last code breaking collisions";
    }
    IdSchemeNeeds needs() const override
    {
        IdSchemeNeeds needs;
        needs.itemText = true;
        needs.embeddings = true;
        return needs;
    }
    std::vector<IdSchemeOption> options() const override { return semanticSchemeOptions(SemanticFlavour::Rqvae); }
    nlohmann::json recordedOptions(const IdAssignmentOptions &options) const override
    {
        return SemanticSchemeOptions::read(options.schemeOptions, SemanticFlavour::Rqvae).toJson(SemanticFlavour::Rqvae);
    }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        const auto options = SemanticSchemeOptions::read(input.options.schemeOptions, SemanticFlavour::Rqvae);
        nlohmann::json details = nlohmann::json::object();
        ScaledEvents embedding(events, 0.0, 0.1);
        const at::Tensor embeddings = semanticItemEmbeddings(input.dataset, options, embedding, details);
        stop.throwIfRequested();
        ScaledEvents training(events, 0.1, 0.95);
        const RqVaeResult result = trainRqVae(embeddings, options.rqvae, {}, training, stop);
        IdSnapshot snapshot = semanticSnapshot(input, result, options.rqvae, std::move(details));
        events.progress(1.0, "semantic IDs");
        return snapshot;
    }
};

} // namespace

std::unique_ptr<IdScheme> makeRqvaeIdScheme()
{
    return std::make_unique<RqvaeIdScheme>();
}

} // namespace idgen
