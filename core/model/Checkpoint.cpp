#include "model/Checkpoint.h"

#include "model/CheckpointHeader.h"
#include "model/HfCheckpoint.h"
#include "model/Safetensors.h"
#include "util/InputLimits.h"

#include <torch/nn/module.h>
#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/version.h>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <type_traits>

namespace idgen {
namespace {

using Json = nlohmann::json;
using TensorMap = std::map<std::string, at::Tensor>;

constexpr const char *kParamPrefix = "param/";
constexpr const char *kBufferPrefix = "buffer/";
constexpr const char *kOptimPrefix = "optim/";
constexpr const char *kTorchRng = "rng/torch_cpu";
constexpr const char *kDataRng = "rng/data";
std::string shapeText(at::IntArrayRef shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// The optimizer keys its state by the parameter's TensorImpl: a std::string of the pointer in
// LibTorch 1.13 (c10::guts::to_string, i.e. ostream << pointer), the void* itself in 2.x.
template <class Map>
typename Map::key_type stateKey(const at::Tensor &param)
{
    using Key = typename Map::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream text;
        text << static_cast<const void *>(param.unsafeGetTensorImpl());
        return text.str();
    } else {
        return static_cast<Key>(param.unsafeGetTensorImpl());
    }
}

using StateMap = std::remove_cvref_t<decltype(std::declval<torch::optim::Optimizer &>().state())>;

// One optimizer family's options and per-parameter state as JSON scalars + named tensors.
struct ParamStateData {
    Json scalars = Json::object();
    TensorMap tensors;
};

template <class Options>
Json adamOptionsJson(const Options &options)
{
    return {{"lr", options.lr()},
            {"beta1", std::get<0>(options.betas())},
            {"beta2", std::get<1>(options.betas())},
            {"eps", options.eps()},
            {"weight_decay", options.weight_decay()},
            {"amsgrad", options.amsgrad()}};
}

template <class Options>
void applyAdamOptions(Options &options, const Json &json)
{
    options.lr(json.at("lr").get<double>());
    options.betas(std::make_tuple(json.at("beta1").get<double>(), json.at("beta2").get<double>()));
    options.eps(json.at("eps").get<double>());
    options.weight_decay(json.at("weight_decay").get<double>());
    options.amsgrad(json.at("amsgrad").get<bool>());
}

template <class State>
ParamStateData adamStateData(const State &state)
{
    ParamStateData data;
    data.scalars["step"] = state.step();
    data.tensors["exp_avg"] = state.exp_avg();
    data.tensors["exp_avg_sq"] = state.exp_avg_sq();
    if (state.max_exp_avg_sq().defined())
        data.tensors["max_exp_avg_sq"] = state.max_exp_avg_sq();
    return data;
}

template <class State>
std::unique_ptr<torch::optim::OptimizerParamState> adamStateFrom(const Json &scalars, const TensorMap &tensors)
{
    auto state = std::make_unique<State>();
    state->step(scalars.at("step").get<std::int64_t>());
    state->exp_avg(tensors.at("exp_avg"));
    state->exp_avg_sq(tensors.at("exp_avg_sq"));
    if (tensors.count("max_exp_avg_sq"))
        state->max_exp_avg_sq(tensors.at("max_exp_avg_sq"));
    return state;
}

// The supported optimizers, by the name stored in the file.
std::string optimizerType(const torch::optim::Optimizer &optimizer)
{
    if (dynamic_cast<const torch::optim::AdamW *>(&optimizer))
        return "AdamW";
    if (dynamic_cast<const torch::optim::Adam *>(&optimizer))
        return "Adam";
    if (dynamic_cast<const torch::optim::SGD *>(&optimizer))
        return "SGD";
    throw Error("checkpoints support the AdamW, Adam and SGD optimizers only");
}

Json groupOptionsJson(const std::string &type, const torch::optim::OptimizerOptions &options)
{
    if (type == "AdamW")
        return adamOptionsJson(static_cast<const torch::optim::AdamWOptions &>(options));
    if (type == "Adam")
        return adamOptionsJson(static_cast<const torch::optim::AdamOptions &>(options));
    const auto &sgd = static_cast<const torch::optim::SGDOptions &>(options);
    return {{"lr", sgd.lr()},
            {"momentum", sgd.momentum()},
            {"dampening", sgd.dampening()},
            {"weight_decay", sgd.weight_decay()},
            {"nesterov", sgd.nesterov()}};
}

void applyGroupOptions(const std::string &type, torch::optim::OptimizerOptions &options, const Json &json)
{
    if (type == "AdamW")
        return applyAdamOptions(static_cast<torch::optim::AdamWOptions &>(options), json);
    if (type == "Adam")
        return applyAdamOptions(static_cast<torch::optim::AdamOptions &>(options), json);
    auto &sgd = static_cast<torch::optim::SGDOptions &>(options);
    sgd.lr(json.at("lr").get<double>());
    sgd.momentum(json.at("momentum").get<double>());
    sgd.dampening(json.at("dampening").get<double>());
    sgd.weight_decay(json.at("weight_decay").get<double>());
    sgd.nesterov(json.at("nesterov").get<bool>());
}

ParamStateData paramStateData(const std::string &type, const torch::optim::OptimizerParamState &state)
{
    if (type == "AdamW")
        return adamStateData(static_cast<const torch::optim::AdamWParamState &>(state));
    if (type == "Adam")
        return adamStateData(static_cast<const torch::optim::AdamParamState &>(state));
    ParamStateData data;
    const auto &sgd = static_cast<const torch::optim::SGDParamState &>(state);
    if (sgd.momentum_buffer().defined())
        data.tensors["momentum_buffer"] = sgd.momentum_buffer();
    return data;
}

std::unique_ptr<torch::optim::OptimizerParamState> paramStateFrom(const std::string &type, const Json &scalars,
                                                                  const TensorMap &tensors)
{
    if (type == "AdamW")
        return adamStateFrom<torch::optim::AdamWParamState>(scalars, tensors);
    if (type == "Adam")
        return adamStateFrom<torch::optim::AdamParamState>(scalars, tensors);
    auto state = std::make_unique<torch::optim::SGDParamState>();
    if (tensors.count("momentum_buffer"))
        state->momentum_buffer(tensors.at("momentum_buffer"));
    return state;
}

// Module parameter names by TensorImpl, to name the optimizer's parameters.
std::map<const void *, std::string> parameterNames(const torch::nn::Module &model)
{
    std::map<const void *, std::string> names;
    for (const auto &item : model.named_parameters(true))
        names.emplace(item.value().unsafeGetTensorImpl(), item.key()); // first name wins for shared ones
    return names;
}

std::vector<std::vector<std::string>> optimizerGroupNames(const torch::optim::Optimizer &optimizer,
                                                          const torch::nn::Module &model)
{
    const auto names = parameterNames(model);
    std::vector<std::vector<std::string>> groups;
    for (const auto &group : optimizer.param_groups()) {
        auto &groupNames = groups.emplace_back();
        for (const auto &param : group.params()) {
            const auto found = names.find(param.unsafeGetTensorImpl());
            if (found == names.end())
                throw Error("the optimizer holds a parameter that the model does not have");
            groupNames.push_back(found->second);
        }
    }
    return groups;
}

struct Problems {
    std::vector<std::string> missing, misshaped, unexpected, other;

    bool empty() const { return missing.empty() && misshaped.empty() && unexpected.empty() && other.empty(); }
    std::string describe() const
    {
        std::string text = "the checkpoint does not fit the model:";
        std::string separator = " ";
        const auto add = [&](const std::vector<std::string> &names, const std::string &what) {
            if (names.empty())
                return;
            text += separator + std::to_string(names.size()) + " " + what + ": " + joinNamesCapped(names);
            separator = "; ";
        };
        add(missing, "missing");
        add(misshaped, "with another shape");
        add(unexpected, "unexpected");
        for (const auto &problem : other) {
            text += separator + problem;
            separator = "; ";
        }
        return text;
    }
};

// The state from the metadata (CheckpointHeader.h), with the data RNG bytes from their tensor.
CheckpointState readState(const SafetensorsFile &file, const Json &json)
{
    CheckpointState state = checkpointStateFromJson(file, json);
    if (file.contains(kDataRng)) {
        const at::Tensor bytes = file.load(kDataRng, at::kByte).contiguous();
        const auto *data = bytes.data_ptr<std::uint8_t>();
        state.dataRng.assign(data, data + bytes.numel());
    }
    return state;
}

} // namespace

void saveCheckpoint(const std::filesystem::path &path, const torch::nn::Module &model,
                    const torch::optim::Optimizer *optimizer, const CheckpointState &state)
{
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto &item : model.named_parameters(true))
        tensors.emplace_back(kParamPrefix + item.key(), item.value());
    for (const auto &item : model.named_buffers(true))
        tensors.emplace_back(kBufferPrefix + item.key(), item.value());

    Json json = {{"step", state.step},   {"epoch", state.epoch},   {"position", state.position},
                 {"kind", state.kind},   {"config", state.config}, {"extra", state.extra},
                 {"written_by", std::string("IDGenRec Workbench ") + IDGEN_VERSION + ", LibTorch " + TORCH_VERSION}};

    if (optimizer) {
        const std::string type = optimizerType(*optimizer);
        const auto groupNames = optimizerGroupNames(*optimizer, model);
        Json groups = Json::array();
        Json paramStates = Json::object();
        std::size_t statesFound = 0;
        for (std::size_t g = 0; g < groupNames.size(); ++g) {
            const auto &group = optimizer->param_groups()[g];
            groups.push_back({{"options", groupOptionsJson(type, group.options())}, {"params", groupNames[g]}});
            for (std::size_t p = 0; p < groupNames[g].size(); ++p) {
                const auto found = optimizer->state().find(stateKey<StateMap>(group.params()[p]));
                if (found == optimizer->state().end())
                    continue; // no step taken for it yet
                ++statesFound;
                const std::string &name = groupNames[g][p];
                ParamStateData data = paramStateData(type, *found->second);
                Json fields = Json::array();
                for (const auto &[field, tensor] : data.tensors) {
                    tensors.emplace_back(kOptimPrefix + name + "/" + field, tensor);
                    fields.push_back(field);
                }
                paramStates[name] = {{"scalars", data.scalars}, {"tensors", fields}};
            }
        }
        // Guards stateKey against a LibTorch that keys its state differently: losing the state
        // silently would break resumption without any visible error.
        if (statesFound != optimizer->state().size())
            throw Error("cannot match the optimizer's state to its parameters (unsupported LibTorch version?)");
        json["optimizer"] = {{"type", type}, {"groups", groups}, {"state", paramStates}};
    }

    {
        at::Generator generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        tensors.emplace_back(kTorchRng, generator.get_state());
    }
    if (!state.dataRng.empty()) {
        auto bytes = at::empty({static_cast<std::int64_t>(state.dataRng.size())}, at::kByte);
        std::memcpy(bytes.data_ptr<std::uint8_t>(), state.dataRng.data(), state.dataRng.size());
        tensors.emplace_back(kDataRng, bytes);
    }

    // Never torn: writeSafetensors writes a temporary sibling, fsyncs it, renames it over `path`
    // and fsyncs the folder; a failed write (full disk, read-only folder) removes the temporary
    // and leaves the previous checkpoint as it was (tests/unit/test_faults.cpp).
    const std::string stateText = json.dump();
    writeSafetensors(path, tensors,
                     {{"format", kCheckpointFormat},
                      {"format_version", std::to_string(kCheckpointFormatVersion)},
                      {"state", stateText},
                      {kStateChecksumKey, checkpointStateChecksum(stateText)}},
                     true);
}

CheckpointState readCheckpointState(const std::filesystem::path &path)
{
    const SafetensorsFile file(path);
    CheckpointState state = readState(file, readCheckpointStateJson(file));
    // The state alone: the weights' checksum is checked when they are loaded.
    state.integrity = file.metadata().count(kStateChecksumKey) ? "state checksum verified" : kIntegrityUnchecked;
    return state;
}

CheckpointState loadCheckpoint(const std::filesystem::path &path, torch::nn::Module &model,
                               torch::optim::Optimizer *optimizer, const CheckpointLoadOptions &options)
{
    const SafetensorsFile file(path);
    const std::string where = path.string();
    const Json json = readCheckpointStateJson(file);
    CheckpointState state = readState(file, json);
    // Before anything is copied: a corrupt file changes nothing.
    const bool verified = file.verifyDataChecksum();
    state.integrity = verified && file.metadata().count(kStateChecksumKey) ? kIntegrityVerified : kIntegrityUnchecked;

    // Plan every copy and collect every problem before touching the model.
    Problems problems;
    struct Copy {
        std::string source;
        at::Tensor target;
    };
    std::vector<Copy> copies;
    std::set<std::string> expectedNames;
    const auto planTensor = [&](const std::string &source, const std::string &shownName, const at::Tensor &target) {
        expectedNames.insert(source);
        if (!file.contains(source)) {
            problems.missing.push_back(shownName);
            return;
        }
        const auto &entry = file.entry(source);
        if (entry.shape != target.sizes().vec()) {
            problems.misshaped.push_back(shownName + " (checkpoint " + shapeText(entry.shape) + ", model " +
                                         shapeText(target.sizes()) + ")");
            return;
        }
        copies.push_back({source, target});
    };
    for (const auto &item : model.named_parameters(true))
        planTensor(kParamPrefix + item.key(), item.key(), item.value());
    for (const auto &item : model.named_buffers(true))
        planTensor(kBufferPrefix + item.key(), "buffer " + item.key(), item.value());
    for (const auto &name : file.names()) {
        const bool modelTensor = name.rfind(kParamPrefix, 0) == 0 || name.rfind(kBufferPrefix, 0) == 0;
        if (modelTensor && !expectedNames.count(name))
            problems.unexpected.push_back(name.substr(name.find('/') + 1));
    }

    // Optimizer state: same type, same grouping by parameter name, state shapes like the parameters'.
    struct OptimizerRestore {
        StateMap::key_type key;
        at::Tensor param;
        Json scalars;
        std::map<std::string, std::string> fieldSources; // field -> tensor name in the file
    };
    std::vector<OptimizerRestore> restores;
    std::string type;
    Json savedGroups;
    if (optimizer) try {
        const auto saved = json.find("optimizer");
        type = optimizerType(*optimizer);
        if (saved == json.end()) {
            problems.other.push_back("it holds no optimizer state (load it without an optimizer to take the weights only)");
        } else if (saved->value("type", "") != type) {
            problems.other.push_back("it holds " + saved->value("type", std::string("unknown")) +
                                     " optimizer state, the optimizer is " + type);
        } else {
            savedGroups = saved->at("groups");
            const auto groupNames = optimizerGroupNames(*optimizer, model);
            if (savedGroups.size() != groupNames.size()) {
                problems.other.push_back("the optimizer has " + std::to_string(groupNames.size()) +
                                         " parameter groups, the checkpoint " + std::to_string(savedGroups.size()));
            } else {
                // Dry run of the saved options, so that applying them below cannot fail half-way.
                for (std::size_t g = 0; g < groupNames.size(); ++g)
                    applyGroupOptions(type, *optimizer->param_groups()[g].options().clone(), savedGroups[g].at("options"));
                const Json &paramStates = saved->at("state");
                for (std::size_t g = 0; g < groupNames.size(); ++g) {
                    const auto savedNames = savedGroups[g].at("params").get<std::vector<std::string>>();
                    if (savedNames != groupNames[g]) {
                        problems.other.push_back("optimizer parameter group " + std::to_string(g) +
                                                 " holds other parameters than the checkpoint's");
                        continue;
                    }
                    const auto &params = optimizer->param_groups()[g].params();
                    for (std::size_t p = 0; p < params.size(); ++p) {
                        const auto found = paramStates.find(groupNames[g][p]);
                        if (found == paramStates.end())
                            continue;
                        OptimizerRestore restore{stateKey<StateMap>(params[p]), params[p], found->at("scalars"), {}};
                        for (const auto &field : found->at("tensors")) {
                            const std::string source = kOptimPrefix + groupNames[g][p] + "/" + field.get<std::string>();
                            if (!file.contains(source))
                                problems.missing.push_back(source);
                            else if (file.entry(source).shape != params[p].sizes().vec())
                                problems.misshaped.push_back(source + " (checkpoint " + shapeText(file.entry(source).shape) +
                                                             ", model " + shapeText(params[p].sizes()) + ")");
                            else
                                restore.fieldSources[field.get<std::string>()] = source;
                        }
                        if (type != "SGD") { // Adam's state is incomplete without these
                            restore.scalars.at("step").get<std::int64_t>();
                            const auto fields = found->at("tensors").get<std::vector<std::string>>();
                            for (const std::string required : {"exp_avg", "exp_avg_sq"})
                                if (std::find(fields.begin(), fields.end(), required) == fields.end())
                                    problems.missing.push_back(kOptimPrefix + groupNames[g][p] + "/" + required);
                        }
                        restores.push_back(std::move(restore));
                    }
                }
            }
        }
    } catch (const Json::exception &error) {
        throw InputError(where, 0, "state", std::string("malformed optimizer state: ") + error.what());
    }
    if (!problems.empty())
        throw InputError(where, 0, "", problems.describe());

    // Read everything, then assign: an I/O error leaves model and optimizer as they were.
    TensorMap loaded;
    for (const auto &copy : copies)
        loaded[copy.source] = file.load(copy.source, copy.target.scalar_type());
    std::vector<std::unique_ptr<torch::optim::OptimizerParamState>> newStates;
    for (const auto &restore : restores) {
        TensorMap fields;
        for (const auto &[field, source] : restore.fieldSources)
            fields[field] = file.load(source).to(restore.param.options());
        newStates.push_back(paramStateFrom(type, restore.scalars, fields));
    }
    at::Tensor torchRng;
    if (options.restoreTorchRng && file.contains(kTorchRng))
        torchRng = file.load(kTorchRng, at::kByte);

    {
        torch::NoGradGuard noGrad;
        for (auto &copy : copies)
            copy.target.copy_(loaded.at(copy.source));
    }
    if (optimizer) {
        optimizer->state().clear();
        for (std::size_t i = 0; i < restores.size(); ++i)
            optimizer->state()[restores[i].key] = std::move(newStates[i]);
        if (options.restoreOptimizerOptions)
            for (std::size_t g = 0; g < savedGroups.size(); ++g)
                applyGroupOptions(type, optimizer->param_groups()[g].options(), savedGroups[g].at("options"));
    }
    if (torchRng.defined()) {
        at::Generator generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(torchRng);
    }
    return state;
}

} // namespace idgen
