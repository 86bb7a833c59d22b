#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace idgen {

// One comparison of a device's results with the CPU's (or with itself, for cached decoding).
struct DeviceCheck {
    std::string name;
    bool passed = false;
    double difference = 0.0; // the measured gap (max abs diff, or a relative gap where named so)
    double tolerance = 0.0;
    std::string detail;
};

struct DeviceCheckReport {
    std::string device;
    std::vector<DeviceCheck> checks;

    bool passed() const;
    nlohmann::json toJson() const;
};

// `idgenrec check-device`: does this device compute what the CPU computes? On a small seeded T5:
// float32 logits with padding, one AdamW training step (loss and weights), cached decoding against
// full recomputation, a trie-constrained batched beam search (same items, same scores), a
// checkpoint written from the device read back on the CPU, and on CUDA the bf16 autocast logits
// within a relative band. The CTest 'gpu' tests run it on the GPU host; a user runs it on a new
// machine before trusting a long training run there.
DeviceCheckReport runDeviceChecks(const std::string &device, const std::string &scratchFolder);

} // namespace idgen
