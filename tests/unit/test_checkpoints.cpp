// Safetensors I/O, Hugging Face weight loading, training checkpoints (round trip and resume).
#include "model/Checkpoint.h"
#include "model/HfCheckpoint.h"
#include "model/Safetensors.h"
#include "support/TestSupport.h"
#include "util/Error.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>

#include <ATen/ATen.h>

#if __has_include("model/T5Model.h")
#include "model/T5Model.h"
#define IDGEN_HAVE_T5_MODEL 1
#endif

#include <cstring>
#include <functional>
#include <random>

using namespace idgen;

namespace {

// The message of the idgen::Error that action throws ("" when it throws none).
std::string errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const Error &error) {
        return error.what();
    }
    return {};
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

std::string littleEndian64(std::uint64_t value)
{
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
    return bytes;
}

// A safetensors file assembled by hand from the format's description (not by our writer).
std::string rawSafetensors(const std::string &header, const std::string &data)
{
    return littleEndian64(header.size()) + header + data;
}

std::string bytesOf(const void *data, std::size_t size)
{
    return std::string(static_cast<const char *>(data), size);
}

// A module whose parameter names are exactly the given dotted names (nested submodules are made
// on the way), e.g. "encoder.block.0.layer.0.SelfAttention.q.weight", as in Hugging Face's T5.
std::shared_ptr<torch::nn::Module> moduleWithParameters(const std::vector<std::pair<std::string, std::vector<std::int64_t>>> &params)
{
    auto root = std::make_shared<torch::nn::Module>("Root");
    for (const auto &[name, shape] : params) {
        torch::nn::Module *module = root.get();
        std::size_t start = 0;
        for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start)) {
            const std::string part = name.substr(start, dot - start);
            const auto children = module->named_children();
            const auto *child = children.find(part);
            module = child ? child->get() : module->register_module(part, std::make_shared<torch::nn::Module>()).get();
            start = dot + 1;
        }
        module->register_parameter(name.substr(start), torch::randn(shape));
    }
    return root;
}

// The parameter layout of a (very) small HF T5: one block per stack, vocab 32, d_model 8.
std::vector<std::pair<std::string, std::vector<std::int64_t>>> hfT5Names(bool untiedHead)
{
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> names = {{"shared.weight", {32, 8}}};
    for (const std::string stack : {"encoder", "decoder"}) {
        const std::string layer = stack + ".block.0.layer.";
        for (const std::string projection : {"q", "k", "v", "o"})
            names.push_back({layer + "0.SelfAttention." + projection + ".weight", {8, 8}});
        names.push_back({layer + "0.SelfAttention.relative_attention_bias.weight", {8, 2}});
        names.push_back({layer + "0.layer_norm.weight", {8}});
        const std::string ff = layer + (stack == "encoder" ? "1" : "2");
        names.push_back({ff + ".DenseReluDense.wi.weight", {16, 8}});
        names.push_back({ff + ".DenseReluDense.wo.weight", {8, 16}});
        names.push_back({ff + ".layer_norm.weight", {8}});
        names.push_back({stack + ".final_layer_norm.weight", {8}});
    }
    for (const std::string projection : {"q", "k", "v", "o"})
        names.push_back({"decoder.block.0.layer.1.EncDecAttention." + projection + ".weight", {8, 8}});
    names.push_back({"decoder.block.0.layer.1.layer_norm.weight", {8}});
    if (untiedHead)
        names.push_back({"lm_head.weight", {32, 8}});
    return names;
}

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

NamedTensors namedParameters(const torch::nn::Module &module)
{
    NamedTensors result;
    for (const auto &item : module.named_parameters())
        result.emplace_back(item.key(), item.value().detach().clone());
    return result;
}

bool sameParameters(const torch::nn::Module &a, const torch::nn::Module &b)
{
    const auto pa = a.named_parameters();
    const auto pb = b.named_parameters();
    if (pa.size() != pb.size())
        return false;
    for (const auto &item : pa) {
        const auto *other = pb.find(item.key());
        if (!other || !torch::equal(item.value(), *other))
            return false;
    }
    return true;
}

// A small trainable model with everything a checkpoint must carry: an embedding, linear layers,
// dropout (consumes torch's RNG while training) and a buffer.
struct Net : torch::nn::Module {
    explicit Net(std::int64_t hidden = 16)
    {
        embed = register_module("embed", torch::nn::Embedding(20, 8));
        hiddenLayer = register_module("hidden", torch::nn::Linear(8, hidden));
        out = register_module("out", torch::nn::Linear(hidden, 3));
        dropout = register_module("dropout", torch::nn::Dropout(0.3));
        scale = register_buffer("scale", torch::rand({3}) + 0.5);
    }
    at::Tensor forward(const at::Tensor &ids)
    {
        auto x = embed->forward(ids).mean(1);
        x = dropout->forward(torch::relu(hiddenLayer->forward(x)));
        return out->forward(x) * scale;
    }
    torch::nn::Embedding embed{nullptr};
    torch::nn::Linear hiddenLayer{nullptr}, out{nullptr};
    torch::nn::Dropout dropout{nullptr};
    at::Tensor scale;
};

// A fixed toy data set; batches are drawn with a std::mt19937_64 (the data-order RNG).
struct ToyData {
    at::Tensor ids = torch::arange(0, 64 * 5).remainder(20).reshape({64, 5});
    at::Tensor targets = torch::arange(0, 64).remainder(3);

    std::pair<at::Tensor, at::Tensor> batch(std::mt19937_64 &rng) const
    {
        std::vector<std::int64_t> rows;
        std::uniform_int_distribution<std::int64_t> pick(0, 63);
        for (int i = 0; i < 8; ++i)
            rows.push_back(pick(rng));
        const auto index = torch::tensor(rows);
        return {ids.index_select(0, index), targets.index_select(0, index)};
    }
};

void trainSteps(Net &net, torch::optim::Optimizer &optimizer, std::mt19937_64 &rng, const ToyData &data, int steps)
{
    net.train();
    for (int i = 0; i < steps; ++i) {
        const auto [ids, targets] = data.batch(rng);
        optimizer.zero_grad();
        const auto loss = torch::nn::functional::cross_entropy(net.forward(ids), targets);
        loss.backward();
        optimizer.step();
    }
}

torch::optim::AdamW makeAdamW(Net &net)
{
    return torch::optim::AdamW(net.parameters(), torch::optim::AdamWOptions(1e-2).weight_decay(0.05));
}

// Rewrites a checkpoint with one metadata value changed (to fake another format version).
void rewriteMetadata(const std::filesystem::path &path, const std::string &key, const std::string &value)
{
    const SafetensorsFile file(path);
    NamedTensors tensors;
    for (const auto &name : file.names())
        tensors.emplace_back(name, file.load(name));
    auto metadata = file.metadata();
    metadata[key] = value;
    writeSafetensors(path, tensors, metadata);
}

std::vector<std::string> folderEntries(const std::filesystem::path &folder)
{
    std::vector<std::string> names;
    for (const auto &entry : std::filesystem::directory_iterator(folder))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

const char *const kTinyHeader =
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
    "\"h\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
    "\"f\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[12,14]},"
    "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[14,22]},"
    "\"__metadata__\":{\"format\":\"pt\"}}";

} // namespace

class TestCheckpoints : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::manual_seed(7); }

    // --- safetensors -------------------------------------------------------------------------

    void readsAHandWrittenFile()
    {
        test::Scratch scratch;
        const float floats[] = {1.5f, -2.0f};
        const unsigned char bf16[] = {0x80, 0x3f, 0x00, 0xc0}; // 1.0, -2.0
        const unsigned char f16[] = {0x00, 0x3c};              // 1.0
        const std::int64_t n = -3;
        const auto path = scratch.write("hand.safetensors",
                                        rawSafetensors(kTinyHeader, bytesOf(floats, 8) + bytesOf(bf16, 4) +
                                                                        bytesOf(f16, 2) + bytesOf(&n, 8)));
        const SafetensorsFile file(path);
        QCOMPARE(file.names(), (std::vector<std::string>{"a", "h", "f", "n"}));
        QCOMPARE(file.metadata().at("format"), std::string("pt"));
        QVERIFY(torch::equal(file.load("a"), torch::tensor({1.5f, -2.0f})));
        const auto h = file.load("h");
        QCOMPARE(h.scalar_type(), at::kBFloat16);
        QVERIFY(torch::equal(file.load("h", at::kFloat), torch::tensor({1.0f, -2.0f})));
        QVERIFY(torch::equal(file.load("f", at::kFloat), torch::tensor({1.0f})));
        const auto scalar = file.load("n");
        QCOMPARE(scalar.dim(), std::int64_t(0));
        QCOMPARE(scalar.item<std::int64_t>(), std::int64_t(-3));
        QVERIFY(contains(errorOf([&] { file.load("missing"); }), "missing"));
    }

    void roundTripsEveryDtype()
    {
        test::Scratch scratch;
        const NamedTensors tensors = {
            {"f32", torch::randn({2, 3})},
            {"f64", torch::randn({4}, at::kDouble)},
            {"f16", torch::randn({3, 2}).to(at::kHalf)},
            {"bf16", torch::randn({5}).to(at::kBFloat16)},
            {"i64", torch::tensor({std::int64_t(1) << 40, std::int64_t(-5)})},
            {"i32", torch::tensor({7, -8}, at::kInt)},
            {"i16", torch::tensor({3, -4}, at::kShort)},
            {"i8", torch::tensor({-1, 2}, at::kChar)},
            {"u8", torch::tensor({255, 0}, at::kByte)},
            {"bool", torch::tensor({true, false, true})},
            {"scalar", torch::tensor(2.5f)},
            {"empty", torch::zeros({0, 4})},
            {"strided", torch::randn({4, 6}).t()}, // non-contiguous: written contiguous
        };
        const auto path = scratch.path("all.safetensors");
        writeSafetensors(path, tensors, {{"note", "round trip"}});

        const SafetensorsFile file(path);
        QCOMPARE(file.metadata().at("note"), std::string("round trip"));
        QCOMPARE(file.names().size(), tensors.size());
        for (const auto &[name, tensor] : tensors) {
            const auto loaded = file.load(name);
            QVERIFY2(loaded.scalar_type() == tensor.scalar_type(), name.c_str());
            QVERIFY2(loaded.sizes() == tensor.sizes(), name.c_str());
            QVERIFY2(torch::equal(loaded, tensor), name.c_str());
            // The LibTorch-free header reader sizes every dtype as LibTorch does.
            QVERIFY2(safetensorsElementSize(file.entry(name).dtype) == std::size_t(tensor.element_size()), name.c_str());
        }
        // Half types convert to float exactly; floats narrow like Tensor::to.
        QVERIFY(torch::equal(file.load("bf16", at::kFloat), tensors[3].second.to(at::kFloat)));
        QVERIFY(torch::equal(file.load("f16", at::kFloat), tensors[2].second.to(at::kFloat)));
        QVERIFY(torch::equal(file.load("f32", at::kBFloat16), tensors[0].second.to(at::kBFloat16)));

        // The layout itself: little-endian length, JSON header padded to 8 bytes, aligned data.
        const std::string bytes = test::readFile(path);
        std::uint64_t headerSize = 0;
        for (int i = 7; i >= 0; --i)
            headerSize = (headerSize << 8) | static_cast<unsigned char>(bytes[i]);
        QCOMPARE(headerSize % 8, std::uint64_t(0));
        const auto header = nlohmann::json::parse(bytes.substr(8, headerSize));
        QCOMPARE(header.at("f32").at("dtype").get<std::string>(), std::string("F32"));
        QCOMPARE(header.at("bf16").at("dtype").get<std::string>(), std::string("BF16"));
        QCOMPARE(header.at("__metadata__").at("note").get<std::string>(), std::string("round trip"));
        for (const auto &[name, tensor] : tensors) {
            const auto begin = header.at(name).at("data_offsets")[0].get<std::uint64_t>();
            QVERIFY2(begin % tensor.element_size() == 0, name.c_str());
        }
    }

    void rejectsCorruptFiles()
    {
        test::Scratch scratch;
        const std::string eightFloats(32, '\0');
        struct Case {
            const char *file;
            std::string content;
            const char *expected; // in the message, besides the file name
        };
        const std::vector<Case> cases = {
            {"short.st", "abc", "shorter than"},
            {"length.st", littleEndian64(1000) + "{}", "exceeds the file size"},
            {"json.st", rawSafetensors("{\"a\": [", ""), "not valid JSON"},
            {"array.st", rawSafetensors("[1, 2]  ", ""), "not a JSON object"},
            {"past.st", rawSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,40]}}", eightFloats),
             "'w': data_offsets [0,40] reach past the end"},
            {"size.st", rawSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eightFloats),
             "'w': data_offsets [0,8] span 8 bytes but F32 [3] needs 12"},
            {"overlap.st",
             rawSafetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                            "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}",
                            eightFloats),
             "'b': data overlaps the data of 'a'"},
            {"dtype.st", rawSafetensors("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", eightFloats),
             "'w': unsupported dtype \"F8_E4M3\""},
            {"negative.st", rawSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", eightFloats),
             "'w': shape [-2]"},
            {"reversed.st", rawSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", eightFloats),
             "'w': data_offsets [8,0] end before"},
            {"offsets.st", rawSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", eightFloats),
             "'w': \"data_offsets\" must be two"},
            {"duplicate.st",
             rawSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                            "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
                            eightFloats),
             "'w': name appears twice"},
            {"metadata.st", rawSafetensors("{\"__metadata__\":{\"n\":3}}", ""), "value of \"n\" is not a string"},
        };
        for (const auto &c : cases) {
            const auto path = scratch.write(c.file, c.content);
            const std::string message = errorOf([&] { SafetensorsFile file(path); });
            QVERIFY2(contains(message, path.string()), (std::string(c.file) + ": " + message).c_str());
            QVERIFY2(contains(message, c.expected), (std::string(c.file) + ": " + message).c_str());
        }
        // A file that shrank after its header was read.
        const auto path = scratch.write("truncated.st",
                                        rawSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}", eightFloats));
        const SafetensorsFile file(path);
        std::filesystem::resize_file(path, 20);
        QVERIFY(contains(errorOf([&] { file.load("w"); }), "'w': cannot read"));
        // The writer refuses what it could not read back.
        QVERIFY(contains(errorOf([&] { writeSafetensors(scratch.path("x.st"), {{"a", torch::ones(1)}, {"a", torch::ones(1)}}); }),
                         "given twice"));
        QVERIFY(contains(errorOf([&] { writeSafetensors(scratch.path("x.st"), {{"__metadata__", torch::ones(1)}}); }),
                         "invalid tensor name"));
    }

    void writesAtomically()
    {
        test::Scratch scratch;
        const auto folder = scratch.path("out");
        std::filesystem::create_directories(folder);
        writeSafetensors(folder / "w.safetensors", {{"a", torch::ones({3})}});
        writeSafetensors(folder / "w.safetensors", {{"a", torch::zeros({3})}}); // replaces
        QCOMPARE(folderEntries(folder), std::vector<std::string>{"w.safetensors"});
        QVERIFY(torch::equal(SafetensorsFile(folder / "w.safetensors").load("a"), torch::zeros({3})));
        // A write that cannot be completed (the target is a folder) leaves no temporary file behind.
        std::filesystem::create_directories(folder / "busy");
        QVERIFY(contains(errorOf([&] { writeSafetensors(folder / "busy", {{"a", torch::ones({3})}}); }), "cannot write"));
        QCOMPARE(folderEntries(folder), (std::vector<std::string>{"busy", "w.safetensors"}));
    }

    // --- Hugging Face weights ----------------------------------------------------------------

    void loadsHfNamedWeightsWithAliases()
    {
        test::Scratch scratch;
        const auto source = moduleWithParameters(hfT5Names(false));
        QVERIFY(source->named_parameters().contains("encoder.block.0.layer.0.SelfAttention.q.weight"));
        NamedTensors file = namedParameters(*source);
        const at::Tensor shared = source->named_parameters()["shared.weight"];
        // Tied HF files may repeat the shared embedding under its aliases and store the tied head.
        file.emplace_back("encoder.embed_tokens.weight", shared.detach().clone());
        file.emplace_back("decoder.embed_tokens.weight", shared.detach().clone());
        file.emplace_back("lm_head.weight", torch::randn({32, 8})); // ignored whatever it holds when tied
        // Half-precision storage is converted to the module's float32.
        for (auto &[name, tensor] : file)
            if (name == "encoder.final_layer_norm.weight")
                tensor = tensor.to(at::kBFloat16);
        const auto path = scratch.path("model.safetensors");
        writeSafetensors(path, file);

        const auto target = moduleWithParameters(hfT5Names(false));
        QVERIFY(!sameParameters(*source, *target));
        const HfLoadReport report = loadHfWeights(*target, path);
        QCOMPARE(report.loaded.size(), source->named_parameters().size());
        auto ignored = report.ignored;
        std::sort(ignored.begin(), ignored.end());
        QCOMPARE(ignored, (std::vector<std::string>{"decoder.embed_tokens.weight", "encoder.embed_tokens.weight",
                                                    "lm_head.weight"}));
        for (const auto &item : source->named_parameters()) {
            at::Tensor expected = item.value();
            if (item.key() == "encoder.final_layer_norm.weight")
                expected = expected.to(at::kBFloat16).to(at::kFloat);
            QVERIFY2(torch::equal(target->named_parameters()[item.key()], expected), item.key().c_str());
        }
        QVERIFY(!target->named_parameters()["shared.weight"].requires_grad() ||
                target->named_parameters()["shared.weight"].grad_fn() == nullptr); // copied without autograd history
    }

    void aliasesStandInAndMustAgree()
    {
        test::Scratch scratch;
        const auto source = moduleWithParameters(hfT5Names(false));
        const at::Tensor shared = source->named_parameters()["shared.weight"];

        // No "shared.weight" in the file: an embed_tokens copy stands in for it.
        NamedTensors withoutShared;
        for (const auto &[name, tensor] : namedParameters(*source))
            withoutShared.emplace_back(name == "shared.weight" ? "decoder.embed_tokens.weight" : name, tensor);
        writeSafetensors(scratch.path("a.safetensors"), withoutShared);
        const auto target = moduleWithParameters(hfT5Names(false));
        loadHfWeights(*target, scratch.path("a.safetensors"));
        QVERIFY(torch::equal(target->named_parameters()["shared.weight"], shared));

        // A copy that differs from the shared embedding is an error naming it.
        NamedTensors differing = namedParameters(*source);
        differing.emplace_back("encoder.embed_tokens.weight", shared.detach() + 1);
        writeSafetensors(scratch.path("b.safetensors"), differing);
        const std::string message = errorOf([&] { loadHfWeights(*target, scratch.path("b.safetensors")); });
        QVERIFY2(contains(message, "1 unexpected: encoder.embed_tokens.weight (differs from shared.weight"), message.c_str());

        // Untied: the module's own head is loaded from lm_head.weight ...
        const auto untiedSource = moduleWithParameters(hfT5Names(true));
        writeSafetensors(scratch.path("c.safetensors"), namedParameters(*untiedSource));
        const auto untied = moduleWithParameters(hfT5Names(true));
        HfLoadOptions untiedOptions;
        untiedOptions.tieWordEmbeddings = false;
        loadHfWeights(*untied, scratch.path("c.safetensors"), untiedOptions);
        QVERIFY(sameParameters(*untied, *untiedSource));
        // ... and a head in the file is unexpected for a tied-less module told the file is untied.
        const std::string headMessage =
            errorOf([&] { loadHfWeights(*target, scratch.path("c.safetensors"), untiedOptions); });
        QVERIFY2(contains(headMessage, "1 unexpected: lm_head.weight"), headMessage.c_str());
        // A module with its own head cannot take a tied file that has none.
        writeSafetensors(scratch.path("d.safetensors"), namedParameters(*source));
        const std::string missingHead = errorOf([&] { loadHfWeights(*untied, scratch.path("d.safetensors"), untiedOptions); });
        QVERIFY2(contains(missingHead, "1 missing: lm_head.weight"), missingHead.c_str());
    }

    void reportsEveryMismatchAtOnce()
    {
        test::Scratch scratch;
        const auto source = moduleWithParameters(hfT5Names(false));
        NamedTensors file;
        for (const auto &[name, tensor] : namedParameters(*source)) {
            if (name == "encoder.block.0.layer.0.SelfAttention.q.weight" || name == "decoder.final_layer_norm.weight")
                continue; // missing
            if (name == "encoder.block.0.layer.1.DenseReluDense.wi.weight")
                file.emplace_back(name, torch::zeros({24, 8})); // another d_ff
            else
                file.emplace_back(name, tensor);
        }
        file.emplace_back("encoder.block.1.layer.0.SelfAttention.q.weight", torch::zeros({8, 8}));
        const auto path = scratch.path("bad.safetensors");
        writeSafetensors(path, file);

        const auto target = moduleWithParameters(hfT5Names(false));
        const auto before = namedParameters(*target);
        const std::string message = errorOf([&] { loadHfWeights(*target, path); });
        QVERIFY2(contains(message, path.string()), message.c_str());
        QVERIFY2(contains(message, "2 missing: decoder.final_layer_norm.weight, encoder.block.0.layer.0.SelfAttention.q.weight") ||
                     contains(message, "2 missing: encoder.block.0.layer.0.SelfAttention.q.weight, decoder.final_layer_norm.weight"),
                 message.c_str());
        QVERIFY2(contains(message, "1 with another shape: encoder.block.0.layer.1.DenseReluDense.wi.weight (file [24, 8], model [16, 8])"),
                 message.c_str());
        QVERIFY2(contains(message, "1 unexpected: encoder.block.1.layer.0.SelfAttention.q.weight"), message.c_str());
        // Nothing was copied: the module is as it was.
        for (const auto &[name, tensor] : before)
            QVERIFY2(torch::equal(target->named_parameters()[name], tensor), name.c_str());

        // Long lists are capped with a count.
        NamedTensors many = namedParameters(*source);
        for (int i = 0; i < 30; ++i)
            many.emplace_back("extra." + std::to_string(i), torch::zeros({1}));
        writeSafetensors(scratch.path("many.safetensors"), many);
        const std::string capped = errorOf([&] { loadHfWeights(*target, scratch.path("many.safetensors")); });
        QVERIFY2(contains(capped, "30 unexpected: ") && contains(capped, " and 10 more"), capped.c_str());
    }

    void readsAnHfModelFolder()
    {
        test::Scratch scratch;
        scratch.write("m/config.json", "{\"model_type\": \"t5\", \"d_model\": 8, \"tie_word_embeddings\": false}");
        writeSafetensors(scratch.path("m/model.safetensors"), {{"shared.weight", torch::zeros({4, 8})}});
        scratch.write("m/spiece.model", "not really a model");
        const HfModelFolder folder = readHfModelFolder(scratch.path("m"));
        QCOMPARE(folder.config.at("d_model").get<int>(), 8);
        QVERIFY(folder.weights == scratch.path("m/model.safetensors"));
        QVERIFY(folder.spiece.has_value());
        QVERIFY(*folder.spiece == scratch.path("m/spiece.model"));
        QVERIFY(!folder.loadOptions().tieWordEmbeddings);

        scratch.write("tied/config.json", "{\"model_type\": \"t5\"}");
        writeSafetensors(scratch.path("tied/model.safetensors"), {{"shared.weight", torch::zeros({4, 8})}});
        const auto tied = readHfModelFolder(scratch.path("tied"));
        QVERIFY(tied.loadOptions().tieWordEmbeddings);
        QVERIFY(!tied.spiece.has_value());

        scratch.write("bin/config.json", "{}");
        scratch.write("bin/pytorch_model.bin", "pickle");
        QVERIFY(contains(errorOf([&] { readHfModelFolder(scratch.path("bin")); }), "safe_serialization=True"));
        scratch.write("broken/config.json", "{\"d_model\": ");
        const std::string broken = errorOf([&] { readHfModelFolder(scratch.path("broken")); });
        QVERIFY2(contains(broken, "config.json") && contains(broken, "not valid JSON"), broken.c_str());
        std::filesystem::create_directories(scratch.path("empty"));
        QVERIFY(contains(errorOf([&] { readHfModelFolder(scratch.path("empty")); }), "needs config.json"));
    }

    // --- training checkpoints ----------------------------------------------------------------

    void roundTripsModelAndMetadata()
    {
        test::Scratch scratch;
        torch::manual_seed(1);
        Net net;
        const auto ids = torch::randint(0, 20, {4, 5});
        net.eval();
        const auto expected = net.forward(ids);

        CheckpointState state;
        state.step = 123;
        state.epoch = 2;
        state.position = 17;
        state.kind = "recommender";
        state.config = {{"d_model", 8}, {"name", "toy"}};
        state.extra = {{"best_ndcg", 0.25}};
        std::mt19937_64 dataRng(99);
        dataRng.discard(5);
        state.dataRng = engineStateBytes(dataRng);
        const auto path = scratch.path("ckpt.safetensors");
        saveCheckpoint(path, net, nullptr, state);

        torch::manual_seed(2);
        Net fresh;
        fresh.eval();
        QVERIFY(!torch::equal(fresh.forward(ids), expected));
        const CheckpointState loaded = loadCheckpoint(path, fresh, nullptr);
        QVERIFY(torch::equal(fresh.forward(ids), expected)); // bit-identical outputs
        QVERIFY(torch::equal(fresh.scale, net.scale));        // buffers too
        QCOMPARE(loaded.step, std::int64_t(123));
        QCOMPARE(loaded.epoch, std::int64_t(2));
        QCOMPARE(loaded.position, std::int64_t(17));
        QCOMPARE(loaded.kind, std::string("recommender"));
        QVERIFY(loaded.config == state.config);
        QVERIFY(loaded.extra == state.extra);
        std::mt19937_64 restored;
        restoreEngineState(restored, loaded.dataRng);
        QCOMPARE(restored(), dataRng());

        const CheckpointState info = readCheckpointState(path);
        QCOMPARE(info.step, std::int64_t(123));
        QVERIFY(info.config == state.config);
        // Inspectable as a plain safetensors file.
        const SafetensorsFile file(path);
        QCOMPARE(file.metadata().at("format"), std::string(kCheckpointFormat));
        QCOMPARE(file.metadata().at("format_version"), std::to_string(kCheckpointFormatVersion));
        QVERIFY(file.contains("param/hidden.weight"));
        QVERIFY(file.contains("buffer/scale"));
    }

    void resumesBitIdentically()
    {
        test::Scratch scratch;
        const ToyData data;
        constexpr int kBefore = 7, kAfter = 6;

        // Uninterrupted: N + M steps (with a learning-rate change at N, as a schedule would do).
        torch::manual_seed(11);
        Net straight;
        auto straightOptimizer = makeAdamW(straight);
        std::mt19937_64 straightRng(5);
        trainSteps(straight, straightOptimizer, straightRng, data, kBefore);
        straightOptimizer.param_groups()[0].options().set_lr(3e-3);
        trainSteps(straight, straightOptimizer, straightRng, data, kAfter);

        // Interrupted after N steps: save everything.
        torch::manual_seed(11);
        Net first;
        auto firstOptimizer = makeAdamW(first);
        std::mt19937_64 firstRng(5);
        trainSteps(first, firstOptimizer, firstRng, data, kBefore);
        firstOptimizer.param_groups()[0].options().set_lr(3e-3);
        CheckpointState state;
        state.step = kBefore;
        state.dataRng = engineStateBytes(firstRng);
        const auto path = scratch.path("resume.safetensors");
        saveCheckpoint(path, first, &firstOptimizer, state);

        // A new process: other seeds, a fresh model and optimizer, then load and go on for M steps.
        torch::manual_seed(12345);
        Net resumed;
        auto resumedOptimizer = makeAdamW(resumed);
        std::mt19937_64 resumedRng(777);
        const CheckpointState loaded = loadCheckpoint(path, resumed, &resumedOptimizer);
        restoreEngineState(resumedRng, loaded.dataRng);
        QCOMPARE(loaded.step, std::int64_t(kBefore));
        QCOMPARE(resumedOptimizer.param_groups()[0].options().get_lr(), 3e-3);
        trainSteps(resumed, resumedOptimizer, resumedRng, data, kAfter);
        QVERIFY(sameParameters(resumed, straight));

        // The same without the optimizer state ends elsewhere: the comparison above can fail.
        torch::manual_seed(12345);
        Net weightsOnly;
        auto weightsOnlyOptimizer = makeAdamW(weightsOnly);
        std::mt19937_64 weightsOnlyRng;
        restoreEngineState(weightsOnlyRng, loadCheckpoint(path, weightsOnly, nullptr).dataRng);
        weightsOnlyOptimizer.param_groups()[0].options().set_lr(3e-3);
        trainSteps(weightsOnly, weightsOnlyOptimizer, weightsOnlyRng, data, kAfter);
        QVERIFY(!sameParameters(weightsOnly, straight));
        // ... and so does a resume that keeps the current torch RNG (dropout masks differ).
        torch::manual_seed(12345);
        Net keepRng;
        auto keepRngOptimizer = makeAdamW(keepRng);
        std::mt19937_64 keepRngRng;
        CheckpointLoadOptions keep;
        keep.restoreTorchRng = false;
        restoreEngineState(keepRngRng, loadCheckpoint(path, keepRng, &keepRngOptimizer, keep).dataRng);
        trainSteps(keepRng, keepRngOptimizer, keepRngRng, data, kAfter);
        QVERIFY(!sameParameters(keepRng, straight));
    }

    void rejectsAnotherShapeOrVersion()
    {
        test::Scratch scratch;
        torch::manual_seed(3);
        Net net(16);
        auto optimizer = makeAdamW(net);
        std::mt19937_64 rng(1);
        trainSteps(net, optimizer, rng, ToyData(), 2);
        const auto path = scratch.path("c.safetensors");
        saveCheckpoint(path, net, &optimizer, {});

        Net wider(32);
        const auto before = namedParameters(wider);
        const std::string shape = errorOf([&] { loadCheckpoint(path, wider, nullptr); });
        QVERIFY2(contains(shape, path.string()), shape.c_str());
        QVERIFY2(contains(shape, "hidden.weight (checkpoint [16, 8], model [32, 8])"), shape.c_str());
        QVERIFY2(contains(shape, "out.weight (checkpoint [3, 16], model [3, 32])"), shape.c_str());
        for (const auto &[name, tensor] : before)
            QVERIFY2(torch::equal(wider.named_parameters()[name], tensor), name.c_str());

        // Optimizer mismatches.
        Net same(16);
        torch::optim::SGD sgd(same.parameters(), torch::optim::SGDOptions(0.1));
        const std::string type = errorOf([&] { loadCheckpoint(path, same, &sgd); });
        QVERIFY2(contains(type, "AdamW optimizer state, the optimizer is SGD"), type.c_str());
        const auto weightsOnly = scratch.path("w.safetensors");
        saveCheckpoint(weightsOnly, net, nullptr, {});
        auto adamw = makeAdamW(same);
        QVERIFY(contains(errorOf([&] { loadCheckpoint(weightsOnly, same, &adamw); }), "holds no optimizer state"));

        // Another format version, and a safetensors file that is no checkpoint.
        rewriteMetadata(path, "format_version", "2");
        const std::string version = errorOf([&] { loadCheckpoint(path, same, nullptr); });
        QVERIFY2(contains(version, path.string()) && contains(version, "checkpoint format version 2 is not supported") &&
                     contains(version, "reads version 1"),
                 version.c_str());
        QVERIFY(contains(errorOf([&] { readCheckpointState(path); }), "format version 2"));
        writeSafetensors(scratch.path("plain.safetensors"), {{"a", torch::ones(1)}});
        QVERIFY(contains(errorOf([&] { loadCheckpoint(scratch.path("plain.safetensors"), same, nullptr); }),
                         "not an IDGenRec checkpoint"));
        std::mt19937_64 engine;
        QVERIFY(contains(errorOf([&] { restoreEngineState(engine, {}); }), "empty"));
    }

    void savesAtomically()
    {
        test::Scratch scratch;
        const auto folder = scratch.path("run");
        std::filesystem::create_directories(folder);
        Net net;
        auto optimizer = makeAdamW(net);
        std::mt19937_64 rng(1);
        for (int i = 1; i <= 3; ++i) {
            trainSteps(net, optimizer, rng, ToyData(), 1);
            CheckpointState state;
            state.step = i;
            saveCheckpoint(folder / "last.safetensors", net, &optimizer, state);
            QCOMPARE(folderEntries(folder), std::vector<std::string>{"last.safetensors"});
        }
        QCOMPARE(readCheckpointState(folder / "last.safetensors").step, std::int64_t(3));
    }

    // --- the C++ T5 against Hugging Face -------------------------------------------------------

    // The real T5 module takes HF-named weights (its own, exported) and checkpoints bit-identically.
    void loadsTheT5ModelByHfNames()
    {
#ifndef IDGEN_HAVE_T5_MODEL
        QSKIP("model/T5Model.h (the C++ T5) does not exist yet");
#else
        test::Scratch scratch;
        const T5Config config = T5Config::byName("tiny");
        torch::manual_seed(21);
        auto source = std::make_shared<T5Model>(config);
        source->eval();
        QVERIFY(source->named_parameters().contains("encoder.block.0.layer.0.SelfAttention.q.weight"));
        NamedTensors hf = namedParameters(*source);
        if (config.tieWordEmbeddings) // as older transformers versions wrote tied files
            hf.emplace_back("lm_head.weight", source->named_parameters()["shared.weight"].detach().clone());
        writeSafetensors(scratch.path("model.safetensors"), hf);

        torch::manual_seed(22);
        auto target = std::make_shared<T5Model>(config);
        target->eval();
        loadHfWeights(*target, scratch.path("model.safetensors"));
        torch::NoGradGuard noGrad;
        const auto ids = torch::randint(2, config.vocabSize, {2, 6});
        const auto decoderIds = torch::randint(2, config.vocabSize, {2, 4});
        const auto expected = source->decode(decoderIds, source->encode(ids));
        QVERIFY(torch::equal(target->decode(decoderIds, target->encode(ids)), expected));

        torch::manual_seed(23);
        auto restored = std::make_shared<T5Model>(config);
        restored->eval();
        saveCheckpoint(scratch.path("t5.ckpt"), *source, nullptr, {});
        loadCheckpoint(scratch.path("t5.ckpt"), *restored, nullptr);
        QVERIFY(torch::equal(restored->decode(decoderIds, restored->encode(ids)), expected));
#endif
    }

    void matchesHuggingFaceLogits_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::newRow("relu, tied") << QString("tiny-t5");
        QTest::newRow("gated-gelu, untied") << QString("tiny-t5-gated");
    }

    void matchesHuggingFaceLogits()
    {
        QFETCH(QString, variant);
        const auto folderPath = test::fixture("hf/" + variant.toStdString());
        if (!std::filesystem::is_directory(folderPath))
            QSKIP("tests/fixtures/hf/ has no tiny HF T5: run tests/fixtures/hf/make_tiny_t5.py on a host with "
                  "transformers (the GPU host) and commit the folders it writes");
#ifndef IDGEN_HAVE_T5_MODEL
        QSKIP("model/T5Model.h (the C++ T5) does not exist yet; nothing to compare with Hugging Face");
#else
        const HfModelFolder folder = readHfModelFolder(folderPath);
        const T5Config config = T5Config::fromJson(folder.config, (folderPath / "config.json").string());
        auto model = std::make_shared<T5Model>(config);
        loadHfWeights(*model, folder.weights, folder.loadOptions());
        model->eval();
        torch::NoGradGuard noGrad;

        const SafetensorsFile reference(folderPath / "reference.safetensors");
        const auto inputIds = reference.load("input_ids", at::kLong);
        const auto attentionMask = reference.load("attention_mask", at::kLong);
        const auto decoderInputIds = reference.load("decoder_input_ids", at::kLong);
        const auto expectedLogits = reference.load("logits", at::kFloat);
        const auto expectedHidden = reference.load("encoder_last_hidden_state", at::kFloat);

        const auto hidden = model->encode(inputIds, attentionMask);
        // Padded positions are whatever each implementation leaves there; compare real tokens.
        const auto real = attentionMask.to(at::kBool).unsqueeze(-1).expand_as(hidden);
        const double hiddenError = (hidden - expectedHidden).abs().masked_select(real).max().item<double>();
        QVERIFY2(hiddenError < 1e-4, ("encoder states differ by " + std::to_string(hiddenError)).c_str());

        const auto logits = model->decode(decoderInputIds, hidden, attentionMask);
        QCOMPARE(logits.sizes().vec(), expectedLogits.sizes().vec());
        const double logitError = (logits - expectedLogits).abs().max().item<double>();
        QVERIFY2(logitError < 1e-4, ("logits differ by " + std::to_string(logitError)).c_str());

        T5Batch batch;
        batch.inputIds = inputIds;
        batch.attentionMask = attentionMask;
        batch.decoderInputIds = decoderInputIds;
        batch.labels = reference.load("labels", at::kLong);
        const T5Output output = model->forward(batch);
        const double lossError = std::abs(output.loss.item<double>() - reference.load("loss", at::kFloat).item<double>());
        QVERIFY2(lossError < 1e-4, ("loss differs by " + std::to_string(lossError)).c_str());
        QVERIFY((output.logits - expectedLogits).abs().max().item<double>() < 1e-4);
#endif
    }
};

QTEST_GUILESS_MAIN(TestCheckpoints)
#include "test_checkpoints.moc"
