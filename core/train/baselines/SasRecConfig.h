#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace idgen {

class ConfigTable;

// The SASRec baselines' settings: the [sasrec] table of a TOML config. The defaults below are
// resources/configs/sasrec.toml, which is compiled in as the built-in config "sasrec" and used
// when no --config is given (test_baselines checks that the two agree).
struct SasRecConfig {
    std::int64_t hidden = 64;
    std::int64_t blocks = 2;
    std::int64_t heads = 1;
    double dropout = 0.5;
    std::int64_t maxLength = 50;
    double learningRate = 1e-3;
    double adamBeta2 = 0.98;
    double weightDecay = 0.0;
    std::int64_t batch = 256;
    bool bucketByLength = false;
    std::int64_t epochs = 200;
    std::int64_t evalEvery = 2;
    std::int64_t patience = 10;
    std::int64_t evalBatch = 512;
    std::int64_t seed = 42;

    // Reads [sasrec] from a whole config and rejects every key it does not know (InputError with
    // file and line), a value of the wrong type or out of range, and heads not dividing hidden.
    static SasRecConfig read(ConfigTable &root);
    static SasRecConfig parse(const std::string &text, const std::string &source);
    nlohmann::json toJson() const;
    bool operator==(const SasRecConfig &) const = default;
};

// The name of the built-in config that holds the defaults.
inline constexpr const char *kSasRecBuiltinConfig = "sasrec";
// The text of that config (throws an Error if the build lacks it).
std::string sasRecDefaultConfigText();

} // namespace idgen
