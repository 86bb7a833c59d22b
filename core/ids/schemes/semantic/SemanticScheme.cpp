#include "ids/schemes/semantic/SemanticScheme.h"

#include "data/ItemText.h"
#include "ids/NumberIds.h"
#include "ids/SnapshotVocabulary.h"
#include "ids/embeddings/EmbeddingsFile.h"
#include "ids/semantic/SemanticCodes.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <charconv>

namespace idgen {
namespace {

int levelsOf(SemanticFlavour flavour)
{
    return flavour == SemanticFlavour::Letter ? 4 : 3;
}

std::string defaultHidden()
{
    return "512,256,128";
}

std::vector<std::int64_t> parseHidden(const std::string &text)
{
    std::vector<std::int64_t> widths;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const auto end = std::min(text.find(',', begin), text.size());
        std::int64_t width = 0;
        const auto [next, error] = std::from_chars(text.data() + begin, text.data() + end, width);
        if (error != std::errc() || next != text.data() + end || width < 1 || width > 65536)
            throw Error("--hidden: '" + text + "' is not a list of layer widths like 512,256,128");
        widths.push_back(width);
        begin = end + 1;
    }
    return widths;
}

} // namespace

std::vector<IdSchemeOption> semanticSchemeOptions(SemanticFlavour flavour)
{
    const RqVaeOptions d;
    const LsaOptions lsa;
    return {{"embeddings", "item embedding matrix (.safetensors, .npy: rows in item-index order; .csv: raw_id,values)"
                           "; default: LSA of the item texts", ""},
            {"lsa-dim", "dimensions of the LSA text embedding", lsa.dimensions},
            {"levels", "codebook levels before the extra code (TIGER 3, LETTER 4)", levelsOf(flavour)},
            {"codes", "codes per level", d.codes},
            {"code-dim", "dimension of the code vectors", d.codeDim},
            {"hidden", "encoder layer widths (the decoder mirrors them)", defaultHidden()},
            {"epochs", "RQ-VAE training epochs", d.epochs},
            {"rqvae-batch", "RQ-VAE training batch", d.batch},
            {"learning-rate", "RQ-VAE learning rate (AdamW)", d.learningRate},
            {"seed", "random seed (same seed, same IDs)", 1}};
}

SemanticSchemeOptions SemanticSchemeOptions::read(const nlohmann::json &values, SemanticFlavour flavour)
{
    const SchemeOptionReader reader(values);
    SemanticSchemeOptions o;
    o.embeddings = reader.text("embeddings", "");
    o.lsa.dimensions = static_cast<int>(reader.integer("lsa-dim", o.lsa.dimensions, 1, 4096));
    RqVaeOptions &r = o.rqvae;
    r.levels = static_cast<int>(reader.integer("levels", levelsOf(flavour), 1, 16));
    r.codes = reader.integer("codes", r.codes, 2, 65536);
    r.codeDim = reader.integer("code-dim", r.codeDim, 1, 4096);
    r.hidden = parseHidden(reader.text("hidden", defaultHidden()));
    r.epochs = static_cast<int>(reader.integer("epochs", r.epochs, 1, 1000000));
    r.batch = static_cast<int>(reader.integer("rqvae-batch", r.batch, 2, 1 << 20));
    r.learningRate = reader.number("learning-rate", r.learningRate, 1e-9, 10.0);
    r.seed = static_cast<std::uint64_t>(reader.integer("seed", 1, 0, std::int64_t{1} << 62));
    o.lsa.seed = r.seed;
    if (flavour == SemanticFlavour::Letter) {
        r.collaborativeWeight = reader.number("cf-weight", 0.01, 0.0, 1e6);
        r.diversityWeight = reader.number("diversity-weight", 0.01, 0.0, 1e6);
        r.diversityGroups = static_cast<int>(reader.integer("diversity-groups", r.diversityGroups, 2, 65536));
        o.sasrecRun = reader.integer("sasrec-run", 0, 0, std::int64_t{1} << 62);
    }
    r.validate();
    return o;
}

nlohmann::json SemanticSchemeOptions::toJson(SemanticFlavour flavour) const
{
    nlohmann::json json = {{"embeddings", embeddings.empty() ? "lsa" : embeddings.string()}, {"rqvae", rqvae.toJson()}};
    if (embeddings.empty())
        json["lsa"] = lsa.toJson();
    if (flavour == SemanticFlavour::Letter)
        json["sasrec_run"] = sasrecRun;
    return json;
}

at::Tensor semanticItemEmbeddings(const Dataset &dataset, const SemanticSchemeOptions &options, JobEvents &events,
                                  nlohmann::json &details)
{
    const Stopwatch clock;
    at::Tensor embeddings;
    if (!options.embeddings.empty()) {
        events.progress(0.0, "reading the item embeddings");
        embeddings = readItemEmbeddings(options.embeddings, dataset.itemRawIds);
        details["embedding"] = options.embeddings.string();
    } else {
        events.progress(0.0, "LSA text embeddings of the items");
        std::vector<std::string> texts;
        texts.reserve(dataset.itemCount());
        for (const ItemFields &fields : dataset.itemFields)
            texts.push_back(renderItemText(fields));
        embeddings = lsaEmbeddings(texts, options.lsa);
        details["embedding"] = "lsa";
    }
    details["embedding_dim"] = embeddings.size(1);
    details["embedding_seconds"] = clock.seconds();
    return embeddings;
}

IdSnapshot semanticSnapshot(const IdSchemeInput &input, const RqVaeResult &result, const RqVaeOptions &options,
                            nlohmann::json details)
{
    IdSnapshot snapshot;
    AddedTokenTable added(input.tokenizer, snapshot);
    const std::vector<int> extra = collisionCodes(result.codes);
    const at::Tensor codes = result.codes.to(at::kLong).contiguous();
    const std::int64_t *code = codes.data_ptr<std::int64_t>();
    const int levels = static_cast<int>(codes.size(1));
    for (std::size_t item = 0; item < extra.size(); ++item) {
        std::string text;
        std::vector<int> tokens;
        for (int level = 0; level <= levels; ++level) {
            const std::int64_t value = level < levels ? code[item * static_cast<std::size_t>(levels) + level] : extra[item];
            std::string token = semanticCodeToken(level, value);
            tokens.push_back(added.id(token));
            text += token;
        }
        snapshot.items.push(std::move(text), std::move(tokens));
    }
    snapshot.items.computeShapeStats();
    snapshot.items.stats.order = "item index (the extra code counts earlier items with the same codes)";
    snapshot.users = numberedUserIds(input.dataset, input.tokenizer);

    const auto repeated = static_cast<std::size_t>(std::count_if(extra.begin(), extra.end(), [](int e) { return e > 0; }));
    snapshot.record.collisionsBeforeDedup = repeated;
    snapshot.record.codeUsage = codeUsagePerLevel(codes, options.codes);
    details["collision_rate"] = collisionRate(codes);
    details["max_extra_code"] = extra.empty() ? 0 : *std::max_element(extra.begin(), extra.end());
    details["reconstruction_mse"] = result.reconstructionError;
    details["input_variance"] = result.inputVariance;
    details["final_loss"] = result.finalLoss;
    details["epochs"] = result.epochs;
    details["rqvae_seconds"] = result.seconds;
    snapshot.record.details = std::move(details);
    return snapshot;
}

} // namespace idgen
