#include "runtime/DeviceCheck.h"

#include "decode/BeamSearch.h"
#include "decode/PrefixTrie.h"
#include "model/Autocast.h"
#include "model/Checkpoint.h"
#include "model/KvCache.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/optim/adamw.h>

#include <filesystem>
#include <sstream>

namespace idgen {
namespace {

constexpr double kFloatTolerance = 1e-4;

T5Config checkConfig()
{
    T5Config config = T5Config::byName("tiny");
    config.vocabSize = 64;
    config.dropoutRate = 0.0; // the comparisons need deterministic forward passes
    return config;
}

// A second model with the first one's weights, on `device`.
std::shared_ptr<T5Model> copyTo(const T5Model &source, const c10::Device &device)
{
    auto copy = std::make_shared<T5Model>(source.config());
    {
        at::NoGradGuard noGrad;
        const auto from = source.named_parameters();
        for (auto &p : copy->named_parameters())
            p.value().copy_(from[p.key()]);
    }
    copy->to(device);
    return copy;
}

double maxAbsDiff(const at::Tensor &a, const at::Tensor &b)
{
    return (a.to(at::kCPU, at::kDouble) - b.to(at::kCPU, at::kDouble)).abs().max().item<double>();
}

DeviceCheck compare(std::string name, double difference, double tolerance, std::string detail = {})
{
    return {std::move(name), difference <= tolerance, difference, tolerance, std::move(detail)};
}

// Two prompts, the second padded, and decoder labels with an ignored tail (-100: T5Model::kIgnoreIndex).
T5Batch checkBatch(const c10::Device &device)
{
    T5Batch batch;
    batch.inputIds = at::tensor(std::vector<std::int64_t>{5, 9, 17, 33, 8, 1, 7, 21, 40, 1, 0, 0}, at::kLong).view({2, 6});
    batch.attentionMask = (batch.inputIds != 0).to(at::kLong);
    batch.labels = at::tensor(std::vector<std::int64_t>{12, 13, 1, 30, 1, -100}, at::kLong).view({2, 3});
    batch.inputIds = batch.inputIds.to(device);
    batch.attentionMask = batch.attentionMask.to(device);
    batch.labels = batch.labels.to(device);
    return batch;
}

DeviceCheck forwardLogits(T5Model &cpu, T5Model &onDevice, const c10::Device &device)
{
    at::NoGradGuard noGrad;
    const at::Tensor expected = cpu.forward(checkBatch(at::kCPU)).logits;
    const at::Tensor got = onDevice.forward(checkBatch(device)).logits;
    return compare("float32 logits (padded batch)", maxAbsDiff(expected, got), kFloatTolerance);
}

DeviceCheck trainingStep(const T5Model &cpuSource, const c10::Device &device)
{
    const auto cpu = copyTo(cpuSource, at::kCPU);
    const auto onDevice = copyTo(cpuSource, device);
    const auto step = [](T5Model &model, const c10::Device &where) {
        model.train();
        torch::optim::AdamW optimizer(model.parameters(), torch::optim::AdamWOptions(1e-3));
        optimizer.zero_grad();
        const at::Tensor loss = model.forward(checkBatch(where)).loss;
        loss.backward();
        optimizer.step();
        return loss.item<double>();
    };
    const double lossGap = std::abs(step(*cpu, at::kCPU) - step(*onDevice, device));
    double weightGap = 0.0;
    const auto cpuParameters = cpu->named_parameters();
    for (const auto &p : onDevice->named_parameters())
        weightGap = std::max(weightGap, maxAbsDiff(cpuParameters[p.key()], p.value()));
    std::ostringstream detail;
    detail << "loss gap " << lossGap;
    return compare("AdamW training step (weights after one step)", std::max(weightGap, lossGap), kFloatTolerance,
                   detail.str());
}

DeviceCheck cachedDecoding(T5Model &onDevice, const c10::Device &device)
{
    at::NoGradGuard noGrad;
    const T5Batch batch = checkBatch(device);
    const at::Tensor encoded = onDevice.encode(batch.inputIds, batch.attentionMask);
    const at::Tensor tokens = at::tensor(std::vector<std::int64_t>{0, 12, 13, 14, 0, 30, 31, 32}, at::kLong).view({2, 4}).to(device);
    KvCache cache;
    std::vector<at::Tensor> steps;
    for (std::int64_t t = 0; t < tokens.size(1); ++t)
        steps.push_back(onDevice.decode(tokens.slice(1, t, t + 1), encoded, batch.attentionMask, &cache));
    const at::Tensor full = onDevice.decode(tokens, encoded, batch.attentionMask);
    return compare("cached decoding = full recomputation", maxAbsDiff(at::cat(steps, 1), full), kFloatTolerance);
}

DeviceCheck beamSearch(T5Model &cpu, T5Model &onDevice, const c10::Device &device)
{
    std::vector<std::vector<std::int32_t>> ids;
    for (std::int32_t a = 10; a < 16; ++a)
        for (std::int32_t b = 20; b < 24; ++b)
            ids.push_back({a, b, static_cast<std::int32_t>(a + b)});
    const PrefixTrie trie = PrefixTrie::build(ids, 1);
    BeamSearchOptions options;
    options.beams = 8;
    const T5Batch cpuBatch = checkBatch(at::kCPU);
    const T5Batch deviceBatch = checkBatch(device);
    const auto expected = BeamSearch(cpu, options, &trie).run(cpuBatch.inputIds, cpuBatch.attentionMask);
    const auto got = BeamSearch(onDevice, options, &trie).run(deviceBatch.inputIds, deviceBatch.attentionMask);
    double scoreGap = 0.0;
    std::size_t sameItems = 0;
    std::size_t total = 0;
    for (std::size_t u = 0; u < expected.size(); ++u)
        for (std::size_t h = 0; h < expected[u].hypotheses.size(); ++h) {
            ++total;
            if (h < got[u].hypotheses.size() && got[u].hypotheses[h].item == expected[u].hypotheses[h].item) {
                ++sameItems;
                scoreGap = std::max(scoreGap, std::abs(got[u].hypotheses[h].score - expected[u].hypotheses[h].score));
            }
        }
    std::ostringstream detail;
    detail << sameItems << "/" << total << " ranked items equal";
    DeviceCheck check = compare("constrained beam search (items and scores)", scoreGap, kFloatTolerance, detail.str());
    check.passed = check.passed && sameItems == total;
    return check;
}

DeviceCheck checkpointRoundTrip(T5Model &onDevice, const std::filesystem::path &folder)
{
    const auto path = folder / "device-check.ckpt";
    saveCheckpoint(path, onDevice, nullptr, modelCheckpointState(onDevice.config(), "device-check"));
    const LoadedModel loaded = loadModel(path, "cpu");
    std::filesystem::remove(path);
    double gap = 0.0;
    const auto saved = onDevice.named_parameters();
    for (const auto &p : loaded.model->named_parameters())
        gap = std::max(gap, maxAbsDiff(saved[p.key()], p.value()));
    return compare("checkpoint written on the device, read on the CPU (bit-identical)", gap, 0.0);
}

// bf16 keeps 8 bits of mantissa: logits agree to a few percent of their range, not to 1e-4.
DeviceCheck bf16Logits(T5Model &onDevice, const c10::Device &device)
{
    at::NoGradGuard noGrad;
    const at::Tensor exact = onDevice.forward(checkBatch(device)).logits;
    at::Tensor mixed;
    {
        const AutocastScope autocast(device, true);
        mixed = onDevice.forward(checkBatch(device)).logits;
    }
    const double range = exact.abs().max().item<double>();
    return compare("bf16 autocast logits (gap relative to the largest logit)", maxAbsDiff(exact, mixed) / range, 0.05);
}

} // namespace

bool DeviceCheckReport::passed() const
{
    return std::all_of(checks.begin(), checks.end(), [](const DeviceCheck &c) { return c.passed; });
}

nlohmann::json DeviceCheckReport::toJson() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto &c : checks)
        list.push_back({{"name", c.name}, {"passed", c.passed}, {"difference", c.difference},
                        {"tolerance", c.tolerance}, {"detail", c.detail}});
    return {{"device", device}, {"passed", passed()}, {"checks", list}};
}

DeviceCheckReport runDeviceChecks(const std::string &device, const std::string &scratchFolder)
{
    const c10::Device target = parseDevice(device);
    at::manual_seed(4242);
    T5Model cpu(checkConfig());
    cpu.eval();
    const auto onDevice = copyTo(cpu, target);
    onDevice->eval();

    DeviceCheckReport report;
    report.device = target.str();
    report.checks.push_back(forwardLogits(cpu, *onDevice, target));
    report.checks.push_back(trainingStep(cpu, target));
    report.checks.push_back(cachedDecoding(*onDevice, target));
    report.checks.push_back(beamSearch(cpu, *onDevice, target));
    report.checks.push_back(checkpointRoundTrip(*onDevice, scratchFolder));
    if (target.is_cuda())
        report.checks.push_back(bf16Logits(*onDevice, target));
    return report;
}

} // namespace idgen
