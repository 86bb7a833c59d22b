#include "ids/schemes/Schemes.h"
#include "ids/schemes/semantic/SemanticScheme.h"

#include "ids/ScaledEvents.h"
#include "ids/semantic/LetterRegularisers.h"
#include "model/Safetensors.h"
#include "train/RunRepository.h"
#include "util/Error.h"

#include <ATen/ATen.h>

namespace idgen {
namespace {

// The sasrec-ce run LETTER aligns with: the one asked for, else the dataset's latest finished run
// that kept item embeddings.
RunRecord sasRecRun(const Database &db, const std::string &dataset, std::int64_t id)
{
    const RunRepository runs(db);
    if (id > 0) {
        RunRecord run = runs.load(id);
        if (run.kind != "baseline" || run.name != "sasrec-ce" || run.dataset != dataset)
            throw Error("run " + std::to_string(id) + " is not a sasrec-ce baseline run of dataset '" + dataset + "'");
        return run;
    }
    const std::vector<RunRecord> all = runs.list(dataset);
    const RunRecord *latest = nullptr;
    for (const RunRecord &run : all)
        if (run.kind == "baseline" && run.name == "sasrec-ce" && run.status == "done" &&
            run.summary.contains("item_embeddings") && (!latest || run.id > latest->id))
            latest = &run;
    if (!latest)
        throw Error("the letter scheme aligns codes with a trained SASRec: dataset '" + dataset +
                    "' has no finished sasrec-ce run (run `idgenrec baseline --model sasrec-ce` first, or name one "
                    "with --sasrec-run)");
    return *latest;
}

// The run's item embeddings [items, d], rows in item-index order, checked against the dataset.
at::Tensor sasRecItemEmbeddings(const Database &db, const RunRecord &run, std::size_t items)
{
    if (!run.summary.contains("item_embeddings"))
        throw Error("sasrec-ce run " + std::to_string(run.id) + " kept no item embeddings (status " + run.status + ")");
    const auto path = RunRepository(db).resolve(run.summary["item_embeddings"].get<std::string>());
    const at::Tensor embeddings = SafetensorsFile(path).load("item_embeddings", at::kFloat);
    if (embeddings.dim() != 2 || embeddings.size(0) != static_cast<std::int64_t>(items))
        throw InputError(path.string(), 0, "item_embeddings",
                         "SASRec embeddings of " + std::to_string(embeddings.size(0)) + " items, the dataset has " +
                             std::to_string(items));
    if (!at::isfinite(embeddings).all().item<bool>())
        throw InputError(path.string(), 0, "item_embeddings", "SASRec embeddings hold NaN or infinite values");
    return embeddings;
}

// LETTER's learnable tokenizer (Wang et al. 2024): the RQ-VAE with 4 levels, its codes aligned
// with a trained SASRec's item embeddings (collaborative regulariser) and spread over the
// codebook (diversity regulariser): alpha 0.01 as the authors' script; beta 0.01 for the pull form of
// the diversity regulariser (LetterRegularisers.h), whose scale is not that of their beta 0.0001.
class LetterIdScheme final : public IdScheme {
public:
    std::string name() const override { return "letter"; }
    std::string description() const override
    {
        return "LETTER: RQ-VAE semantic IDs (4 levels) regularised towards a sasrec-ce run's item embeddings "
               "and towards even code usage, plus a collision-breaking code";
    }
    IdSchemeNeeds needs() const override
    {
        IdSchemeNeeds needs;
        needs.itemText = true;
        needs.embeddings = true;
        needs.baselineRun = true;
        needs.project = true;
        return needs;
    }
    std::vector<IdSchemeOption> options() const override
    {
        std::vector<IdSchemeOption> options = semanticSchemeOptions(SemanticFlavour::Letter);
        options.push_back({"sasrec-run", "the sasrec-ce baseline run whose item embeddings the codes align with "
                                         "(0: the dataset's latest finished one)", 0});
        options.push_back({"cf-weight", "weight of the collaborative regulariser (LETTER's alpha)", 0.01});
        options.push_back({"diversity-weight", "weight of the diversity regulariser (LETTER's beta; its pull form here, see LetterRegularisers.h)", 0.01});
        options.push_back({"diversity-groups", "groups of each codebook for the diversity regulariser", 10});
        return options;
    }
    nlohmann::json recordedOptions(const IdAssignmentOptions &options) const override
    {
        return SemanticSchemeOptions::read(options.schemeOptions, SemanticFlavour::Letter).toJson(SemanticFlavour::Letter);
    }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        if (!input.db)
            throw Error("the letter scheme needs the project (its sasrec-ce run)");
        auto options = SemanticSchemeOptions::read(input.options.schemeOptions, SemanticFlavour::Letter);
        const RunRecord run = sasRecRun(*input.db, input.options.dataset, options.sasrecRun);
        options.sasrecRun = run.id;
        const at::Tensor collaborative = collaborativeTargets(
            sasRecItemEmbeddings(*input.db, run, input.dataset.itemCount()), options.rqvae.codeDim);
        events.log("letter: aligning with the item embeddings of sasrec-ce run " + std::to_string(run.id));
        nlohmann::json details = {{"sasrec_run", run.id}};
        ScaledEvents embedding(events, 0.0, 0.1);
        const at::Tensor embeddings = semanticItemEmbeddings(input.dataset, options, embedding, details);
        stop.throwIfRequested();
        ScaledEvents training(events, 0.1, 0.95);
        const RqVaeResult result = trainRqVae(embeddings, options.rqvae, collaborative, training, stop);
        IdSnapshot snapshot = semanticSnapshot(input, result, options.rqvae, std::move(details));
        snapshot.options["sasrec_run"] = run.id; // the run actually used, when --sasrec-run was 0
        events.progress(1.0, "semantic IDs");
        return snapshot;
    }
};

} // namespace

std::unique_ptr<IdScheme> makeLetterIdScheme()
{
    return std::make_unique<LetterIdScheme>();
}

} // namespace idgen
