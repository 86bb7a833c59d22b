#include "ids/semantic/RqVaeTraining.h"

#include "ids/semantic/KMeans.h"
#include "ids/semantic/LetterRegularisers.h"
#include "ids/semantic/RqVaeModel.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/optim/adamw.h>

#include <algorithm>

namespace idgen {
namespace {

// Each code's group among the codebook's codes (LETTER's grouping for the diversity loss).
at::Tensor codeGroups(const at::Tensor &codebook, int groups)
{
    const at::NoGradGuard noGrad;
    const std::int64_t count = std::min<std::int64_t>(groups, codebook.size(0));
    return nearestCentres(codebook, kmeans(codebook, count, 10));
}

} // namespace

void RqVaeOptions::validate() const
{
    for (const std::int64_t width : hidden)
        if (width < 1 || width > 65536)
            throw Error("RQ-VAE: hidden layer widths must be in 1..65536");
    if (codeDim < 1 || codeDim > 4096)
        throw Error("RQ-VAE: the code dimension must be in 1..4096");
    if (levels < 1 || levels > 16)
        throw Error("RQ-VAE: levels must be in 1..16");
    if (codes < 2 || codes > 65536)
        throw Error("RQ-VAE: codes per level must be in 2..65536");
    if (epochs < 1 || batch < 2)
        throw Error("RQ-VAE: at least one epoch and batches of 2 or more");
    if (!(learningRate > 0.0) || weightDecay < 0.0 || commitment < 0.0)
        throw Error("RQ-VAE: the learning rate must be positive, weight decay and commitment not negative");
    if (collaborativeWeight < 0.0 || diversityWeight < 0.0 || diversityGroups < 2)
        throw Error("RQ-VAE: regulariser weights must not be negative, diversity groups at least 2");
}

nlohmann::json RqVaeOptions::toJson() const
{
    return {{"hidden", hidden},
            {"code_dim", codeDim},
            {"levels", levels},
            {"codes", codes},
            {"epochs", epochs},
            {"batch", batch},
            {"learning_rate", learningRate},
            {"weight_decay", weightDecay},
            {"commitment", commitment},
            {"kmeans_iterations", kmeansIterations},
            {"seed", seed},
            {"collaborative_weight", collaborativeWeight},
            {"diversity_weight", diversityWeight},
            {"diversity_groups", diversityGroups}};
}

RqVaeResult trainRqVae(const at::Tensor &embeddings, const RqVaeOptions &options, const at::Tensor &collaborative,
                       JobEvents &events, StopToken stop)
{
    options.validate();
    if (embeddings.dim() != 2 || embeddings.size(0) < 2)
        throw Error("RQ-VAE: embeddings [items, d] of at least 2 items were expected");
    const bool useCollaborative = options.collaborativeWeight > 0.0;
    if (useCollaborative && (!collaborative.defined() || collaborative.dim() != 2 ||
                             collaborative.size(0) != embeddings.size(0) || collaborative.size(1) != options.codeDim))
        throw Error("RQ-VAE: the collaborative regulariser needs one " + std::to_string(options.codeDim) +
                    "-d collaborative vector per item");
    const Stopwatch clock;
    const at::Tensor data = embeddings.detach().to(at::kFloat).contiguous();
    const std::int64_t items = data.size(0);

    at::manual_seed(options.seed);
    RqVaeShape shape;
    shape.inputDim = data.size(1);
    shape.hidden = options.hidden;
    shape.codeDim = options.codeDim;
    shape.levels = options.levels;
    shape.codes = options.codes;
    RqVaeModel model(shape);
    events.progress(0.0, "RQ-VAE: k-means initialisation of the codebooks");
    model.initialiseCodebooks(data, options.kmeansIterations);
    torch::optim::AdamW optimizer(model.parameters(),
                                  torch::optim::AdamWOptions(options.learningRate).weight_decay(options.weightDecay));

    RqVaeResult result;
    const bool useDiversity = options.diversityWeight > 0.0;
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        stop.throwIfRequested();
        std::vector<at::Tensor> groups;
        if (useDiversity)
            for (int level = 0; level < options.levels; ++level)
                groups.push_back(codeGroups(model.codebook(level), options.diversityGroups));
        const at::Tensor order = at::randperm(items, at::TensorOptions().dtype(at::kLong));
        double lossSum = 0.0;
        int batches = 0;
        for (std::int64_t begin = 0; begin < items; begin += options.batch) {
            const at::Tensor rows = order.narrow(0, begin, std::min<std::int64_t>(options.batch, items - begin));
            if (rows.size(0) < 2 && begin > 0)
                break; // a last batch of one item gives no contrast and only noise
            const at::Tensor batch = data.index_select(0, rows);
            const RqVaeOutput out = model.forward(batch);
            at::Tensor quantisation = out.codebookLoss + options.commitment * out.commitmentLoss;
            if (useDiversity) {
                at::Tensor diversity = at::zeros({}, batch.options());
                for (int level = 0; level < options.levels; ++level)
                    diversity = diversity + diversityLoss(out.residuals[static_cast<std::size_t>(level)],
                                                          out.codes.select(1, level), model.codebook(level),
                                                          groups[static_cast<std::size_t>(level)]);
                quantisation = quantisation + options.diversityWeight * diversity / options.levels;
            }
            at::Tensor loss = (out.reconstruction - batch).pow(2).mean() + quantisation;
            if (useCollaborative)
                loss = loss + options.collaborativeWeight *
                                  collaborativeLoss(out.quantised, collaborative.index_select(0, rows));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            lossSum += loss.item<double>();
            ++batches;
        }
        result.finalLoss = lossSum / std::max(1, batches);
        result.epochs = epoch + 1;
        events.progress(static_cast<double>(epoch + 1) / options.epochs,
                        "RQ-VAE epoch " + std::to_string(epoch + 1) + " of " + std::to_string(options.epochs));
        if ((epoch + 1) % std::max(1, options.epochs / 10) == 0 || epoch + 1 == options.epochs)
            events.log("RQ-VAE epoch " + std::to_string(epoch + 1) + ": loss " + std::to_string(result.finalLoss));
    }

    const at::NoGradGuard noGrad;
    model.eval();
    result.codes = model.assign(data);
    result.reconstructionError = (model.forward(data).reconstruction - data).pow(2).mean().item<double>();
    result.inputVariance = data.var(0).mean().item<double>();
    result.seconds = clock.seconds();
    return result;
}

} // namespace idgen
