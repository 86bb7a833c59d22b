#include "model/T5Config.h"

#include "util/Error.h"

#include <fstream>
#include <sstream>

namespace idgen {
namespace {

using nlohmann::json;

// Reads one optional key; absent or null keeps the default (HF writes null for "same as ...").
void readInt(const json &j, const char *key, std::int64_t &out, const std::string &source)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return;
    if (!it->is_number_integer())
        throw InputError(source, 0, key, "expected an integer, got " + it->dump());
    out = it->get<std::int64_t>();
}

void readDouble(const json &j, const char *key, double &out, const std::string &source)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return;
    if (!it->is_number())
        throw InputError(source, 0, key, "expected a number, got " + it->dump());
    out = it->get<double>();
}

void readBool(const json &j, const char *key, bool &out, const std::string &source)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return;
    if (!it->is_boolean())
        throw InputError(source, 0, key, "expected true or false, got " + it->dump());
    out = it->get<bool>();
}

void readString(const json &j, const char *key, std::string &out, const std::string &source)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return;
    if (!it->is_string())
        throw InputError(source, 0, key, "expected a string, got " + it->dump());
    out = it->get<std::string>();
}

void requireAtLeast(std::int64_t value, std::int64_t minimum, const char *key, const std::string &source)
{
    if (value < minimum)
        throw InputError(source, 0, key, "must be at least " + std::to_string(minimum) + ", got " +
                                             std::to_string(value));
}

// HF: "gated-gelu" -> gated, activation "gelu_new"; "relu" -> not gated, "relu".
struct Activation {
    bool gated = false;
    std::string name;
};

Activation parseActivation(const std::string &proj)
{
    Activation act;
    std::string rest = proj;
    if (rest.rfind("gated-", 0) == 0) {
        act.gated = true;
        rest = rest.substr(6);
    }
    act.name = rest;
    if (proj == "gated-gelu")
        act.name = "gelu_new"; // HF keeps this for backward compatibility with the original T5 v1.1
    return act;
}

} // namespace

bool T5Config::isGatedAct() const
{
    return parseActivation(feedForwardProj).gated;
}

std::string T5Config::denseActFn() const
{
    return parseActivation(feedForwardProj).name;
}

void T5Config::validate(const std::string &source) const
{
    requireAtLeast(vocabSize, 1, "vocab_size", source);
    requireAtLeast(dModel, 1, "d_model", source);
    requireAtLeast(dKv, 1, "d_kv", source);
    requireAtLeast(dFf, 1, "d_ff", source);
    requireAtLeast(numLayers, 1, "num_layers", source);
    requireAtLeast(numDecoderLayers, 1, "num_decoder_layers", source);
    requireAtLeast(numHeads, 1, "num_heads", source);
    // Bidirectional buckets halve the count and keep a quarter exact: below 4 nothing is exact.
    requireAtLeast(relativeAttentionNumBuckets, 4, "relative_attention_num_buckets", source);
    // The log-spaced buckets divide by log(max_distance / max_exact), which must be positive.
    requireAtLeast(relativeAttentionMaxDistance, relativeAttentionNumBuckets / 2 + 1,
                   "relative_attention_max_distance", source);
    if (!(dropoutRate >= 0.0 && dropoutRate < 1.0))
        throw InputError(source, 0, "dropout_rate", "must be in [0, 1), got " + std::to_string(dropoutRate));
    if (!(layerNormEpsilon > 0.0))
        throw InputError(source, 0, "layer_norm_epsilon", "must be positive");
    if (!(initializerFactor > 0.0))
        throw InputError(source, 0, "initializer_factor", "must be positive");
    const Activation act = parseActivation(feedForwardProj);
    if (act.name != "relu" && act.name != "gelu" && act.name != "gelu_new" && act.name != "silu")
        throw InputError(source, 0, "feed_forward_proj",
                         "unknown activation '" + feedForwardProj +
                             "' (expected relu, gelu, gelu_new or silu, optionally prefixed 'gated-')");
    const auto requireToken = [&](std::int64_t id, const char *key) {
        if (id < 0 || id >= vocabSize)
            throw InputError(source, 0, key, "token id " + std::to_string(id) + " is outside the vocabulary of " +
                                                 std::to_string(vocabSize));
    };
    requireToken(padTokenId, "pad_token_id");
    requireToken(eosTokenId, "eos_token_id");
    requireToken(decoderStartTokenId, "decoder_start_token_id");
}

T5Config T5Config::fromJson(const nlohmann::json &j, const std::string &source)
{
    if (!j.is_object())
        throw InputError(source, 0, "", "a T5 config must be a JSON object");
    // Other HF architectures reuse these keys with different layers (umt5, longt5): refuse them.
    const auto type = j.find("model_type");
    if (type != j.end() && !type->is_null()) {
        if (!type->is_string())
            throw InputError(source, 0, "model_type", "expected a string, got " + type->dump());
        if (*type != "t5" && *type != "mt5")
            throw InputError(source, 0, "model_type",
                             "'" + type->get<std::string>() + "' is not a T5 model (expected t5 or mt5)");
    }
    T5Config c;
    readInt(j, "vocab_size", c.vocabSize, source);
    readInt(j, "d_model", c.dModel, source);
    readInt(j, "d_kv", c.dKv, source);
    readInt(j, "d_ff", c.dFf, source);
    readInt(j, "num_layers", c.numLayers, source);
    c.numDecoderLayers = c.numLayers; // HF: null or absent means symmetric
    readInt(j, "num_decoder_layers", c.numDecoderLayers, source);
    readInt(j, "num_heads", c.numHeads, source);
    readInt(j, "relative_attention_num_buckets", c.relativeAttentionNumBuckets, source);
    readInt(j, "relative_attention_max_distance", c.relativeAttentionMaxDistance, source);
    readDouble(j, "dropout_rate", c.dropoutRate, source);
    readDouble(j, "layer_norm_epsilon", c.layerNormEpsilon, source);
    readDouble(j, "initializer_factor", c.initializerFactor, source);
    readString(j, "feed_forward_proj", c.feedForwardProj, source);
    readBool(j, "tie_word_embeddings", c.tieWordEmbeddings, source);
    readInt(j, "pad_token_id", c.padTokenId, source);
    readInt(j, "eos_token_id", c.eosTokenId, source);
    readInt(j, "decoder_start_token_id", c.decoderStartTokenId, source);
    c.validate(source);
    return c;
}

T5Config T5Config::fromFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path.string(), 0, "", "cannot open the T5 config file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(buffer.str());
    } catch (const nlohmann::json::parse_error &e) {
        throw InputError(path.string(), 0, "", std::string("not valid JSON: ") + e.what());
    }
    return fromJson(j, path.string());
}

nlohmann::json T5Config::toJson() const
{
    const Activation act = parseActivation(feedForwardProj);
    return nlohmann::json{
        {"model_type", "t5"},
        {"architectures", {"T5ForConditionalGeneration"}},
        {"vocab_size", vocabSize},
        {"d_model", dModel},
        {"d_kv", dKv},
        {"d_ff", dFf},
        {"num_layers", numLayers},
        {"num_decoder_layers", numDecoderLayers},
        {"num_heads", numHeads},
        {"relative_attention_num_buckets", relativeAttentionNumBuckets},
        {"relative_attention_max_distance", relativeAttentionMaxDistance},
        {"dropout_rate", dropoutRate},
        {"layer_norm_epsilon", layerNormEpsilon},
        {"initializer_factor", initializerFactor},
        {"feed_forward_proj", feedForwardProj},
        // Informational for readers of the file; HF derives these from feed_forward_proj too.
        {"is_gated_act", act.gated},
        {"dense_act_fn", act.name},
        {"tie_word_embeddings", tieWordEmbeddings},
        {"is_encoder_decoder", true},
        {"pad_token_id", padTokenId},
        {"eos_token_id", eosTokenId},
        {"decoder_start_token_id", decoderStartTokenId},
    };
}

void T5Config::saveFile(const std::filesystem::path &path) const
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw Error("cannot write the T5 config file " + path.string());
    out << toJson().dump(2) << '\n';
    if (!out)
        throw Error("cannot write the T5 config file " + path.string());
}

namespace {

// The named shapes; the rest of each config is T5Config's defaults.
struct NamedShape {
    const char *name;
    std::int64_t vocabSize, dModel, dKv, dFf, layers, heads;
};

constexpr NamedShape kNamedShapes[] = {
    // Small enough that a unit test builds, runs and back-propagates in milliseconds.
    {"tiny", 96, 32, 8, 64, 2, 4},
    // The CPU demos' shape (about 1M weights besides the embeddings): the `demo` recommender, and
    // the ID generator of `demo-idgenrec`, which a 2-core machine warm-starts in minutes.
    {"mini", 32128, 128, 32, 512, 2, 4},
    // TIGER's recommender (Rajput et al. 2023): 4+4 layers, 6 heads of 64, MLP 1024.
    {"tiger", 32128, 128, 64, 1024, 4, 6},
    // t5-small.
    {"small", 32128, 512, 64, 2048, 6, 8},
};

} // namespace

T5Config T5Config::byName(const std::string &name)
{
    for (const NamedShape &shape : kNamedShapes) {
        if (name != shape.name)
            continue;
        T5Config c;
        c.vocabSize = shape.vocabSize;
        c.dModel = shape.dModel;
        c.dKv = shape.dKv;
        c.dFf = shape.dFf;
        c.numLayers = c.numDecoderLayers = shape.layers;
        c.numHeads = shape.heads;
        return c;
    }
    std::string known;
    for (const auto &n : names())
        known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown T5 config '" + name + "' (known: " + known + ", or a path to a config.json)");
}

std::vector<std::string> T5Config::names()
{
    std::vector<std::string> out;
    for (const NamedShape &shape : kNamedShapes)
        out.emplace_back(shape.name);
    return out;
}

T5Config T5Config::byNameOrFile(const std::string &nameOrPath)
{
    for (const auto &n : names())
        if (n == nameOrPath)
            return byName(n);
    return fromFile(nameOrPath);
}

} // namespace idgen
