#include "train/AlternateConfig.h"

#include "model/T5Config.h"
#include "train/BuiltinConfigs.h"
#include "util/ConfigFile.h"

namespace idgen {

AlternateConfig AlternateConfig::load(const std::string &nameOrPath)
{
    const ConfigSource source = resolveConfig(nameOrPath);
    return parse(source.text, source.name, source.origin);
}

bool AlternateConfig::isAlternate(const std::string &text, const std::string &origin)
{
    return ConfigTable::parseText(text, origin).has("rounds");
}

AlternateConfig AlternateConfig::parse(const std::string &text, const std::string &name, const std::string &origin)
{
    ConfigTable root = ConfigTable::parseText(text, origin);
    AlternateConfig c;
    c.recommender = RecommenderConfig::read(root, text, name, origin);

    ConfigTable rounds = root.section("rounds");
    c.rounds = static_cast<int>(rounds.integerIn("rounds", c.rounds, 1, 100));
    c.first = rounds.oneOf("first", c.first, {"id", "recommender"});
    c.recommenderEpochs = static_cast<int>(rounds.integerIn("recommender_epochs", c.recommenderEpochs, 1, 100000));
    c.initialRecommenderEpochs =
        static_cast<int>(rounds.integerIn("initial_recommender_epochs", c.recommenderEpochs, 1, 100000));
    c.restartRecommender = rounds.boolean("restart_recommender", c.restartRecommender);

    ConfigTable generator = root.section("generator");
    c.generatorEpochs = static_cast<int>(generator.integerIn("epochs", c.generatorEpochs, 1, 100000));
    c.generatorStepsPerRound =
        static_cast<int>(generator.integerIn("steps_per_round", c.generatorStepsPerRound, 0, 100000000));
    c.generatorLearningRate = generator.realIn("learning_rate", c.generatorLearningRate, 1e-12, 10.0);
    c.generatorBatch = static_cast<int>(generator.integerIn("batch", c.generatorBatch, 1, 4096));
    c.mix = generator.oneOf("mix", "softmax", {"softmax", "logsoftmax"}) == "logsoftmax" ? SoftMix::LogSoftmax
                                                                                      : SoftMix::Softmax;
    c.maxIdSteps = static_cast<int>(generator.integerIn("max_steps", c.maxIdSteps, 1, 64));
    c.maxSourceTokens = static_cast<int>(generator.integerIn("max_source_tokens", c.maxSourceTokens, 2, 4096));
    c.generatorSize = generator.string("size", c.generatorSize);
    c.warmupEpochs = static_cast<int>(generator.integerIn("warmup_epochs", c.warmupEpochs, 1, 1000));
    c.warmupLearningRate = generator.realIn("warmup_learning_rate", c.warmupLearningRate, 1e-8, 1.0);
    c.leakyUsers = generator.oneOf("user_history", "leak-free", {"leak-free", "leaky"}) == "leaky";

    root.finish();
    // The generator's size is checked here too, so a typo fails before any data is loaded.
    (void)T5Config::byNameOrFile(c.generatorSize);
    return c;
}

} // namespace idgen
