#include "model/VocabularyGrowth.h"

#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <map>

namespace idgen {
namespace {

bool isVocabularyTable(const std::string &name)
{
    return name == "shared.weight" || name == "lm_head.weight";
}

std::map<std::string, at::Tensor> namedTensors(const torch::nn::Module &module)
{
    std::map<std::string, at::Tensor> tensors;
    for (const auto &item : module.named_parameters())
        tensors.emplace(item.key(), item.value());
    for (const auto &item : module.named_buffers())
        tensors.emplace(item.key(), item.value());
    return tensors;
}

} // namespace

std::int64_t loadWeightsGrowingVocabulary(const std::filesystem::path &path, T5Model &model)
{
    if (!std::filesystem::is_directory(path)) {
        const CheckpointState state = readCheckpointState(path);
        if (state.config.contains("model") &&
            T5Config::fromJson(state.config["model"], path.string()).vocabSize == model.config().vocabSize) {
            CheckpointLoadOptions options;
            options.restoreTorchRng = false;
            loadCheckpoint(path, model, nullptr, options);
            return model.config().vocabSize;
        }
    }
    // Building the saved model draws its initial weights: keep the caller's random stream as it was.
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    const at::Tensor randomState = generator.get_state();
    const LoadedModel saved = loadModel(path, "cpu");
    generator.set_state(randomState);
    const std::int64_t savedVocab = saved.model->config().vocabSize;
    const std::int64_t vocab = model.config().vocabSize;
    if (savedVocab > vocab)
        throw Error(path.string() + ": its vocabulary of " + std::to_string(savedVocab) +
                    " tokens is larger than the model's " + std::to_string(vocab) +
                    " (it was made for another snapshot's tokens)");
    const std::map<std::string, at::Tensor> source = namedTensors(*saved.model);
    const std::map<std::string, at::Tensor> target = namedTensors(model);
    for (const auto &[name, tensor] : target) {
        const auto found = source.find(name);
        if (found == source.end())
            throw Error(path.string() + ": no tensor '" + name + "' (another model shape?)");
        const at::Tensor &from = found->second;
        const bool grows = isVocabularyTable(name) && tensor.dim() == 2 && from.dim() == 2 &&
                           tensor.size(1) == from.size(1);
        if (!(grows || tensor.sizes() == from.sizes()))
            throw Error(path.string() + ": tensor '" + name + "' has another shape than the model's (another model "
                        "config?)");
    }
    for (const auto &[name, tensor] : source)
        if (!target.contains(name))
            throw Error(path.string() + ": tensor '" + name + "' has no place in the model (another model shape?)");
    const at::NoGradGuard noGrad;
    for (const auto &[name, tensor] : target) {
        const at::Tensor &from = source.at(name);
        if (isVocabularyTable(name))
            tensor.narrow(0, 0, from.size(0)).copy_(from);
        else
            tensor.copy_(from);
    }
    return savedVocab;
}

} // namespace idgen
