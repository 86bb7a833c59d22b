#include "train/baselines/SasRecConfig.h"

#include "train/BuiltinConfigs.h"
#include "util/ConfigFile.h"
#include "util/Error.h"

namespace idgen {

SasRecConfig SasRecConfig::read(ConfigTable &root)
{
    ConfigTable table = root.section("sasrec");
    const SasRecConfig d;
    SasRecConfig c;
    c.hidden = table.integerIn("hidden", d.hidden, 1, 4096);
    c.blocks = table.integerIn("blocks", d.blocks, 1, 64);
    c.heads = table.integerIn("heads", d.heads, 1, 64);
    c.dropout = table.realIn("dropout", d.dropout, 0.0, 0.95);
    c.maxLength = table.integerIn("max_length", d.maxLength, 1, 4096);
    c.learningRate = table.realIn("learning_rate", d.learningRate, 1e-7, 1.0);
    c.adamBeta2 = table.realIn("adam_beta2", d.adamBeta2, 0.0, 0.99999);
    c.weightDecay = table.realIn("weight_decay", d.weightDecay, 0.0, 1.0);
    c.batch = table.integerIn("batch", d.batch, 1, 65536);
    c.bucketByLength = table.boolean("bucket_by_length", d.bucketByLength);
    c.epochs = table.integerIn("epochs", d.epochs, 1, 100000);
    c.evalEvery = table.integerIn("eval_every", d.evalEvery, 1, 100000);
    c.patience = table.integerIn("patience", d.patience, 1, 100000);
    c.evalBatch = table.integerIn("eval_batch", d.evalBatch, 1, 65536);
    c.seed = table.integerIn("seed", d.seed, 0, INT64_MAX);
    root.finish();
    if (c.hidden % c.heads != 0)
        throw InputError(root.source(), 0, "sasrec.heads",
                         std::to_string(c.heads) + " heads do not divide hidden = " + std::to_string(c.hidden));
    return c;
}

SasRecConfig SasRecConfig::parse(const std::string &text, const std::string &source)
{
    ConfigTable root = ConfigTable::parseText(text, source);
    return read(root);
}

nlohmann::json SasRecConfig::toJson() const
{
    return {{"hidden", hidden},         {"blocks", blocks},
            {"heads", heads},           {"dropout", dropout},
            {"max_length", maxLength},  {"learning_rate", learningRate},
            {"adam_beta2", adamBeta2},  {"weight_decay", weightDecay},
            {"batch", batch},           {"bucket_by_length", bucketByLength},
            {"epochs", epochs},
            {"eval_every", evalEvery},  {"patience", patience},
            {"eval_batch", evalBatch},  {"seed", seed}};
}

std::string sasRecDefaultConfigText()
{
    for (const auto &config : builtinConfigs())
        if (std::string(config.name) == kSasRecBuiltinConfig)
            return config.text;
    throw Error(std::string("this build lacks the built-in config '") + kSasRecBuiltinConfig +
                "' (resources/configs/sasrec.toml)");
}

} // namespace idgen
