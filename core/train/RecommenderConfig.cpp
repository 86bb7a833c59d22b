#include "train/RecommenderConfig.h"

#include "ids/schemes/IdScheme.h"
#include "model/T5Config.h"
#include "train/BuiltinConfigs.h"
#include "util/ConfigFile.h"

#include <algorithm>
#include <limits>

namespace idgen {
namespace {

constexpr std::int64_t kBig = std::numeric_limits<int>::max();

// [ids] scheme: any registered scheme the dataset alone can feed, with its default options.
void checkConfigScheme(const ConfigTable &ids, const std::string &scheme)
{
    std::string usable;
    for (const auto &candidate : allIdSchemes())
        if (!candidate->needs().external())
            usable += (usable.empty() ? "" : ", ") + candidate->name();
    const auto &schemes = allIdSchemes();
    const auto found = std::find_if(schemes.begin(), schemes.end(), [&](const auto &s) { return s->name() == scheme; });
    if (found == schemes.end())
        ids.fail("scheme", "'" + scheme + "' is not an ID scheme (use " + usable + ")");
    const IdSchemeNeeds needs = (*found)->needs();
    if (needs.external()) {
        std::string what;
        for (const std::string &need : needs.names())
            what += (what.empty() ? "" : ", ") + need;
        ids.fail("scheme", "the " + scheme + " scheme needs " + what +
                               ", which a training config cannot give: assign it with `idgenrec ids assign --scheme " +
                               scheme + " ...` and train with --snapshot (config schemes: " + usable + ")");
    }
}

} // namespace

RecommenderConfig RecommenderConfig::load(const std::string &nameOrPath)
{
    const ConfigSource source = resolveConfig(nameOrPath);
    return parse(source.text, source.name, source.origin);
}

RecommenderConfig RecommenderConfig::parse(const std::string &text, const std::string &name, const std::string &origin)
{
    ConfigTable root = ConfigTable::parseText(text, origin);
    RecommenderConfig c = read(root, text, name, origin);
    root.finish();
    return c;
}

RecommenderConfig RecommenderConfig::read(ConfigTable &root, const std::string &text, const std::string &name,
                                          const std::string &origin)
{
    RecommenderConfig c;
    c.name = name;
    c.text = text;
    c.origin = origin;

    ConfigTable ids = root.section("ids");
    c.scheme = ids.string("scheme", c.scheme);
    checkConfigScheme(ids, c.scheme);
    c.titleWords = static_cast<int>(ids.integerIn("title_words", c.titleWords, 1, 64));

    ConfigTable model = root.section("model");
    c.model = model.string("size", c.model);
    c.dModel = model.integerIn("d_model", 0, 0, 65536);
    c.dFf = model.integerIn("d_ff", 0, 0, 1 << 20);
    c.dKv = model.integerIn("d_kv", 0, 0, 4096);
    c.layers = model.integerIn("layers", 0, 0, 64);
    c.heads = model.integerIn("heads", 0, 0, 256);
    c.dropout = model.realIn("dropout", -1.0, -1.0, 0.9);

    ConfigTable data = root.section("data");
    c.maxHistory = static_cast<int>(data.integerIn("max_history", c.maxHistory, 1, 1000));
    c.maxPromptTokens = static_cast<int>(data.integerIn("max_prompt_tokens", c.maxPromptTokens, 8, 1 << 16));
    c.templatesPerSample = static_cast<int>(data.integerIn("templates_per_sample", c.templatesPerSample, 1, 10));
    c.lossAverage = data.oneOf("loss_average", "sample", {"sample", "token"}) == "token" ? LossAverage::Token
                                                                                         : LossAverage::Sample;

    ConfigTable train = root.section("train");
    c.epochs = static_cast<int>(train.integerIn("epochs", c.epochs, 1, 100000));
    c.batch = static_cast<int>(train.integerIn("batch", c.batch, 1, 1 << 16));
    c.learningRate = train.realIn("learning_rate", c.learningRate, 1e-12, 10.0);
    c.weightDecay = train.realIn("weight_decay", c.weightDecay, 0.0, 10.0);
    c.warmupFraction = train.realIn("warmup_fraction", c.warmupFraction, 0.0, 0.99);
    c.clip = train.realIn("clip", c.clip, 0.0, 1e6);
    c.seed = static_cast<std::uint64_t>(train.integerIn("seed", static_cast<std::int64_t>(c.seed), 0, kBig));
    c.device = train.string("device", c.device);
    c.bf16 = train.boolean("bf16", c.bf16);
    c.rankingLoss = train.boolean("ranking_loss", c.rankingLoss);
    c.rankingTemperature = train.realIn("ranking_temperature", c.rankingTemperature, 0.01, 100.0);

    ConfigTable validation = root.section("validation");
    c.validationUsers = static_cast<int>(validation.integerIn("users", c.validationUsers, 0, kBig));
    c.validationSeed = static_cast<std::uint64_t>(
        validation.integerIn("seed", static_cast<std::int64_t>(c.validationSeed), 0, kBig));
    c.validationBeams = static_cast<int>(validation.integerIn("beams", c.validationBeams, 1, 1000));
    c.validateEvery = static_cast<int>(validation.integerIn("every", c.validateEvery, 1, 100000));
    c.patience = static_cast<int>(validation.integerIn("patience", c.patience, 0, 100000));

    ConfigTable test = root.section("test");
    c.testBeams = static_cast<int>(test.integerIn("beams", c.testBeams, 1, 1000));

    ConfigTable checkpoint = root.section("checkpoint");
    c.checkpointEverySteps = checkpoint.integerIn("every_steps", c.checkpointEverySteps, 0, kBig);
    c.checkpointEveryMinutes = checkpoint.realIn("every_minutes", c.checkpointEveryMinutes, 0.0, 1e6);

    // The model name is checked here too, so a typo fails before any data is loaded.
    (void)c.modelConfig(32);
    return c;
}

T5Config RecommenderConfig::modelConfig(std::int64_t vocabSize) const
{
    T5Config config = T5Config::byNameOrFile(model);
    config.vocabSize = vocabSize;
    if (dModel > 0)
        config.dModel = dModel;
    if (dFf > 0)
        config.dFf = dFf;
    if (dKv > 0)
        config.dKv = dKv;
    if (layers > 0)
        config.numLayers = config.numDecoderLayers = layers;
    if (heads > 0)
        config.numHeads = heads;
    if (dropout >= 0.0)
        config.dropoutRate = dropout;
    config.validate(origin);
    return config;
}

} // namespace idgen
