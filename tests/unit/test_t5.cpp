// The T5 encoder-decoder: HF parameter layout, relative-position buckets, masking, the KV cache,
// embeddings input, the loss, seeding and the config file. CPU, tiny config, a few seconds.
#include "model/T5Attention.h"
#include "model/T5Config.h"
#include "model/T5Model.h"
#include "support/TestSupport.h"
#include "util/Error.h"

#include <torch/optim/adam.h>

#include <map>
#include <set>

using namespace idgen;

namespace {

double maxDiff(const at::Tensor &a, const at::Tensor &b)
{
    if (a.sizes() != b.sizes())
        return 1e30;
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

at::Tensor ids(const std::vector<std::vector<std::int64_t>> &rows)
{
    const auto width = static_cast<std::int64_t>(rows.front().size());
    at::Tensor t = at::empty({static_cast<std::int64_t>(rows.size()), width}, at::kLong);
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::int64_t c = 0; c < width; ++c)
            t[static_cast<std::int64_t>(r)][c] = rows[r][static_cast<std::size_t>(c)];
    return t;
}

std::shared_ptr<T5Model> tinyModel(std::uint64_t seed, const std::string &ffn = "relu", bool tied = true)
{
    at::manual_seed(seed);
    T5Config config = T5Config::byName("tiny");
    config.feedForwardProj = ffn;
    config.tieWordEmbeddings = tied;
    auto model = std::make_shared<T5Model>(config);
    model->eval();
    return model;
}

// The key set and shapes of Hugging Face's T5ForConditionalGeneration.named_parameters().
std::map<std::string, std::vector<std::int64_t>> hfLayout(const T5Config &c)
{
    std::map<std::string, std::vector<std::int64_t>> layout;
    const std::int64_t inner = c.numHeads * c.dKv;
    layout["shared.weight"] = {c.vocabSize, c.dModel};
    const auto attention = [&](const std::string &prefix) {
        layout[prefix + ".q.weight"] = {inner, c.dModel};
        layout[prefix + ".k.weight"] = {inner, c.dModel};
        layout[prefix + ".v.weight"] = {inner, c.dModel};
        layout[prefix + ".o.weight"] = {c.dModel, inner};
    };
    const auto ffn = [&](const std::string &prefix) {
        if (c.feedForwardProj == "gated-gelu") {
            layout[prefix + ".DenseReluDense.wi_0.weight"] = {c.dFf, c.dModel};
            layout[prefix + ".DenseReluDense.wi_1.weight"] = {c.dFf, c.dModel};
        } else {
            layout[prefix + ".DenseReluDense.wi.weight"] = {c.dFf, c.dModel};
        }
        layout[prefix + ".DenseReluDense.wo.weight"] = {c.dModel, c.dFf};
        layout[prefix + ".layer_norm.weight"] = {c.dModel};
    };
    for (const std::string stack : {"encoder", "decoder"}) {
        const bool dec = stack == "decoder";
        const std::int64_t count = dec ? c.numDecoderLayers : c.numLayers;
        for (std::int64_t i = 0; i < count; ++i) {
            const std::string b = stack + ".block." + std::to_string(i) + ".layer.";
            attention(b + "0.SelfAttention");
            if (i == 0)
                layout[b + "0.SelfAttention.relative_attention_bias.weight"] = {c.relativeAttentionNumBuckets,
                                                                                c.numHeads};
            layout[b + "0.layer_norm.weight"] = {c.dModel};
            if (dec) {
                attention(b + "1.EncDecAttention");
                layout[b + "1.layer_norm.weight"] = {c.dModel};
            }
            ffn(b + (dec ? "2" : "1"));
        }
        layout[stack + ".final_layer_norm.weight"] = {c.dModel};
    }
    if (!c.tieWordEmbeddings)
        layout["lm_head.weight"] = {c.vocabSize, c.dModel};
    return layout;
}

QString layoutMismatch(const T5Model &model)
{
    auto expected = hfLayout(model.config());
    QStringList problems;
    for (const auto &item : model.named_parameters()) {
        const auto it = expected.find(item.key());
        if (it == expected.end()) {
            problems << QString::fromStdString("unexpected " + item.key());
            continue;
        }
        if (item.value().sizes().vec() != it->second)
            problems << QString::fromStdString("wrong shape of " + item.key());
        expected.erase(it);
    }
    for (const auto &missing : expected)
        problems << QString::fromStdString("missing " + missing.first);
    return problems.join("; ");
}

// Greedy-free incremental decoding: feeds the given tokens one at a time through the cache and
// returns the per-step logits concatenated [B, T, V].
at::Tensor stepwise(T5Model &model, const at::Tensor &tokens, const at::Tensor &encoderHidden,
                    const at::Tensor &encoderMask, KvCache &cache)
{
    std::vector<at::Tensor> steps;
    for (std::int64_t t = 0; t < tokens.size(1); ++t)
        steps.push_back(model.decode(tokens.slice(1, t, t + 1), encoderHidden, encoderMask, &cache));
    return at::cat(steps, 1);
}

template <typename F>
QString errorField(F &&action)
{
    try {
        action();
    } catch (const InputError &e) {
        return QString::fromStdString(e.field());
    } catch (const Error &e) {
        return "(no field) " + QString::fromStdString(e.what());
    }
    return "(no error)";
}

} // namespace

class TestT5 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void relativePositionBuckets();
    void parameterNamesFollowHuggingFace();
    void paddingNeverChangesRealTokens();
    void cachedDecodingEqualsFullRecomputation();
    void cachedDecodingEqualsFullRecomputation_data();
    void embeddingsInputEqualsIdsInput();
    void lossIgnoresPadding();
    void shiftRightFollowsHuggingFace();
    void seedsMakeRunsDeterministic();
    void dropoutOnlyInTraining();
    void trainingStepsReduceLoss();
    void configJsonRoundTrip();
    void huggingFaceConfigLoads();
    void badConfigNamesTheKey();
};

void TestT5::relativePositionBuckets()
{
    // Hand-computed from HF's _relative_position_bucket (relative position = key - query).
    const auto check = [](bool bidirectional, std::int64_t buckets, std::int64_t distance,
                          const std::vector<std::pair<std::int64_t, std::int64_t>> &cases) {
        std::vector<std::int64_t> positions;
        for (const auto &c : cases)
            positions.push_back(c.first);
        const at::Tensor got = relativePositionBucket(
            at::tensor(positions, at::kLong), bidirectional, buckets, distance);
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const auto value = got[static_cast<std::int64_t>(i)].item<std::int64_t>();
            QVERIFY2(value == cases[i].second,
                     qPrintable(QString("bidirectional=%1 buckets=%2: position %3 gave bucket %4, expected %5")
                                    .arg(bidirectional)
                                    .arg(buckets)
                                    .arg(cases[i].first)
                                    .arg(value)
                                    .arg(cases[i].second)));
        }
    };
    // Encoder (32 buckets, 128 max distance): 16 per direction, 8 exact, then log-spaced, capped.
    check(true, 32, 128,
          {{0, 0}, {-1, 1}, {1, 17}, {-7, 7}, {7, 23}, {-8, 8}, {8, 24}, {-12, 9}, {-20, 10}, {20, 26},
           {-100, 15}, {-127, 15}, {-200, 15}, {200, 31}, {-1000, 15}});
    // Decoder: the future is bucket 0; 16 exact, then log-spaced up to 31 beyond max distance.
    check(false, 32, 128,
          {{3, 0}, {0, 0}, {-1, 1}, {-15, 15}, {-16, 16}, {-20, 17}, {-50, 24}, {-100, 30}, {-127, 31},
           {-128, 31}, {-500, 31}});
    // Non-default sizes follow the same formula.
    check(true, 8, 20, {{-1, 1}, {1, 5}, {-2, 2}, {-5, 2}, {-9, 3}, {-19, 3}, {-40, 3}, {3, 6}, {9, 7}, {40, 7}});
    check(false, 8, 20, {{1, 0}, {-3, 3}, {-4, 4}, {-7, 5}, {-12, 6}, {-19, 7}, {-40, 7}});
}

void TestT5::parameterNamesFollowHuggingFace()
{
    const auto tied = tinyModel(1);
    QCOMPARE(layoutMismatch(*tied), QString());
    QVERIFY(!tied->named_parameters().contains("lm_head.weight"));

    const auto untied = tinyModel(1, "relu", false);
    QCOMPARE(layoutMismatch(*untied), QString());
    QVERIFY(untied->named_parameters().contains("lm_head.weight"));

    const auto gated = tinyModel(1, "gated-gelu", false);
    QCOMPARE(layoutMismatch(*gated), QString());
    QVERIFY(gated->named_parameters().contains("decoder.block.1.layer.2.DenseReluDense.wi_1.weight"));
    QVERIFY(!gated->named_parameters().contains("decoder.block.1.layer.2.DenseReluDense.wi.weight"));

    // The embedding is registered once: no encoder.embed_tokens / decoder.embed_tokens copies.
    std::set<const void *> storages;
    for (const auto &p : tied->parameters())
        QVERIFY2(storages.insert(p.data_ptr()).second, "a parameter is registered twice");
}

void TestT5::paddingNeverChangesRealTokens()
{
    const auto model = tinyModel(3);
    at::NoGradGuard noGrad;
    // Row 0 has 5 real tokens, row 1 has 3. The padded copy appends positions holding arbitrary
    // (non-pad) ids, so only the mask can keep them from leaking into the real tokens.
    const at::Tensor shortIds = ids({{11, 12, 13, 14, 15}, {21, 22, 23, 0, 0}});
    const at::Tensor shortMask = ids({{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
    const at::Tensor longIds = ids({{11, 12, 13, 14, 15, 40, 41, 42}, {21, 22, 23, 50, 51, 52, 53, 54}});
    const at::Tensor longMask = ids({{1, 1, 1, 1, 1, 0, 0, 0}, {1, 1, 1, 0, 0, 0, 0, 0}});

    const at::Tensor a = model->encode(shortIds, shortMask);
    const at::Tensor b = model->encode(longIds, longMask);
    const double row0 = maxDiff(a[0].slice(0, 0, 5), b[0].slice(0, 0, 5));
    const double row1 = maxDiff(a[1].slice(0, 0, 3), b[1].slice(0, 0, 3));
    QVERIFY2(row0 < 1e-5 && row1 < 1e-5, qPrintable(QString("encoder drift %1 / %2").arg(row0).arg(row1)));

    // ...and the decoder's cross-attention ignores them as well.
    const at::Tensor target = ids({{5, 6, 7}, {8, 9, 10}});
    const double logits = maxDiff(model->decode(target, a, shortMask), model->decode(target, b, longMask));
    QVERIFY2(logits < 1e-5, qPrintable(QString("decoder drift %1").arg(logits)));

    // Sanity: without the mask the padded positions do change the outputs (the test can fail).
    const at::Tensor unmasked = model->encode(longIds);
    QVERIFY(maxDiff(a[1].slice(0, 0, 3), unmasked[1].slice(0, 0, 3)) > 1e-3);
}

void TestT5::cachedDecodingEqualsFullRecomputation_data()
{
    QTest::addColumn<QString>("ffn");
    QTest::addColumn<bool>("tied");
    QTest::newRow("relu, tied") << "relu" << true;
    QTest::newRow("gated-gelu, untied") << "gated-gelu" << false;
}

void TestT5::cachedDecodingEqualsFullRecomputation()
{
    QFETCH(QString, ffn);
    QFETCH(bool, tied);
    const auto model = tinyModel(5, ffn.toStdString(), tied);
    at::NoGradGuard noGrad;
    const at::Tensor source = ids({{11, 12, 13, 14, 15, 16}, {21, 22, 23, 24, 0, 0}, {31, 32, 33, 0, 0, 0}});
    const at::Tensor mask = (source != 0).to(at::kLong);
    const at::Tensor encoded = model->encode(source, mask);
    const at::Tensor tokens = ids({{0, 40, 41, 42, 43, 44}, {0, 50, 51, 52, 53, 54}, {0, 60, 61, 62, 63, 64}});

    KvCache cache;
    const at::Tensor cached = stepwise(*model, tokens, encoded, mask, cache);
    const at::Tensor full = model->decode(tokens, encoded, mask);
    QCOMPARE(cache.length(), std::int64_t(6));
    const double diff = maxDiff(cached, full);
    QVERIFY2(diff < 1e-5, qPrintable(QString("cached vs full: %1").arg(diff)));

    // Beam search reorders: new row b continues old row beam[b]. Decode 3 more steps on the
    // reordered cache and compare with recomputing the reordered prefixes from scratch.
    const at::Tensor beam = at::tensor(std::vector<std::int64_t>{2, 0, 0}, at::kLong);
    model->reorderCache(cache, beam);
    const at::Tensor beamMask = mask.index_select(0, beam);
    const at::Tensor more = ids({{70, 71, 72}, {73, 74, 75}, {76, 77, 78}});
    const at::Tensor continued = stepwise(*model, more, encoded.index_select(0, beam), beamMask, cache);
    const at::Tensor allTokens = at::cat({tokens.index_select(0, beam), more}, 1);
    const at::Tensor recomputed = model->decode(allTokens, encoded.index_select(0, beam), beamMask);
    const double after = maxDiff(continued, recomputed.slice(1, 6, 9));
    QVERIFY2(after < 1e-5, qPrintable(QString("after reorderCache: %1").arg(after)));

    // Once cached, the cross-attention does not need the encoder output again.
    KvCache warm;
    model->decode(tokens.slice(1, 0, 1), encoded, mask, &warm);
    const at::Tensor second = model->decode(tokens.slice(1, 1, 2), at::Tensor(), mask, &warm);
    QVERIFY(maxDiff(second, full.slice(1, 1, 2)) < 1e-5);
    // A cache from another batch size is refused instead of silently broadcast.
    bool refused = false;
    try {
        model->decode(tokens.slice(0, 0, 2).slice(1, 2, 3), encoded.slice(0, 0, 2), mask.slice(0, 0, 2), &warm);
    } catch (const Error &) {
        refused = true;
    }
    QVERIFY(refused);
}

void TestT5::embeddingsInputEqualsIdsInput()
{
    const auto model = tinyModel(7);
    at::NoGradGuard noGrad;
    const at::Tensor source = ids({{11, 12, 13, 14}, {21, 22, 0, 0}});
    const at::Tensor mask = (source != 0).to(at::kLong);
    const at::Tensor fromIds = model->encode(source, mask);
    const at::Tensor fromEmbeds = model->encodeEmbeds(model->embedTokens(source), mask);
    QCOMPARE(maxDiff(fromIds, fromEmbeds), 0.0);
    // A soft embedding of one-hot distributions is the same vector as the id's.
    const at::Tensor oneHot = at::one_hot(source, model->config().vocabSize).to(at::kFloat);
    const at::Tensor soft = at::matmul(oneHot, model->embeddingTable());
    QVERIFY(maxDiff(model->encodeEmbeds(soft, mask), fromIds) < 1e-6);

    const at::Tensor target = ids({{0, 5, 6}, {0, 7, 8}});
    const at::Tensor viaIds = model->decode(target, fromIds, mask);
    const at::Tensor viaEmbeds = model->decodeEmbeds(model->embedTokens(target), fromIds, mask);
    QCOMPARE(maxDiff(viaIds, viaEmbeds), 0.0);

    T5Batch batch;
    batch.inputsEmbeds = soft;
    batch.attentionMask = mask;
    batch.decoderInputIds = target;
    QVERIFY(maxDiff(model->forward(batch).logits, viaIds) < 1e-5);
}

void TestT5::lossIgnoresPadding()
{
    const auto model = tinyModel(9);
    at::NoGradGuard noGrad;
    // Two samples with 6 and 4 source tokens and 4 and 2 target tokens (eos = 1 included).
    const at::Tensor source = ids({{11, 12, 13, 14, 15, 16}, {21, 22, 23, 24, 0, 0}});
    const at::Tensor targets = ids({{40, 41, 42, 1}, {50, 1, 0, 0}});
    T5Batch batch;
    batch.inputIds = source;
    batch.attentionMask = (source != 0).to(at::kLong);
    batch.labels = model->labelsFromTargets(targets);
    QCOMPARE(batch.labels[1][2].item<std::int64_t>(), T5Model::kIgnoreIndex);
    const double padded = model->forward(batch).loss.item<double>();

    // The same samples one at a time without any padding: token-weighted mean of their losses.
    double sum = 0.0;
    std::int64_t tokens = 0;
    const std::vector<std::pair<std::int64_t, std::int64_t>> lengths = {{6, 4}, {4, 2}};
    for (std::int64_t i = 0; i < 2; ++i) {
        const auto [sourceLength, targetLength] = lengths[static_cast<std::size_t>(i)];
        T5Batch one;
        one.inputIds = source.slice(0, i, i + 1).slice(1, 0, sourceLength);
        one.labels = targets.slice(0, i, i + 1).slice(1, 0, targetLength);
        sum += model->forward(one).loss.item<double>() * static_cast<double>(targetLength);
        tokens += targetLength;
    }
    const double unpadded = sum / static_cast<double>(tokens);
    QVERIFY2(std::abs(padded - unpadded) < 1e-5, qPrintable(QString("%1 vs %2").arg(padded).arg(unpadded)));

    // With the pad labels left in, the loss is different (the masking does something).
    batch.labels = targets;
    QVERIFY(std::abs(model->forward(batch).loss.item<double>() - unpadded) > 1e-3);
}

void TestT5::shiftRightFollowsHuggingFace()
{
    const auto model = tinyModel(1);
    const at::Tensor labels = ids({{40, 41, 1, -100}, {50, -100, 51, 1}});
    const at::Tensor shifted = model->shiftRight(labels);
    // decoder_start (0) first, then the labels moved one step, ignored labels turned into pad (0).
    QCOMPARE(maxDiff(shifted, ids({{0, 40, 41, 1}, {0, 50, 0, 51}})), 0.0);
}

void TestT5::seedsMakeRunsDeterministic()
{
    const auto a = tinyModel(42);
    const auto b = tinyModel(42);
    const auto c = tinyModel(43);
    const auto pa = a->named_parameters();
    const auto pb = b->named_parameters();
    const auto pc = c->named_parameters();
    bool anyDifferent = false;
    for (const auto &item : pa) {
        QVERIFY2(at::equal(item.value(), pb[item.key()]), item.key().c_str());
        anyDifferent = anyDifferent || !at::equal(item.value(), pc[item.key()]);
    }
    QVERIFY(anyDifferent);

    at::NoGradGuard noGrad;
    T5Batch batch;
    batch.inputIds = ids({{11, 12, 13}});
    batch.labels = ids({{40, 1}});
    QVERIFY(at::equal(a->forward(batch).logits, b->forward(batch).logits));
    QVERIFY(!at::equal(a->forward(batch).logits, c->forward(batch).logits));

    // The HF initialisation: the shared embedding has std 1, the queries d_model^-0.5 * d_kv^-0.5.
    const double embeddingStd = pa["shared.weight"].std().item<double>();
    QVERIFY2(std::abs(embeddingStd - 1.0) < 0.1, qPrintable(QString::number(embeddingStd)));
    const double queryStd = pa["encoder.block.0.layer.0.SelfAttention.q.weight"].std().item<double>();
    QVERIFY2(std::abs(queryStd - 1.0 / 16.0) < 0.01, qPrintable(QString::number(queryStd)));
}

void TestT5::dropoutOnlyInTraining()
{
    const auto model = tinyModel(11);
    at::NoGradGuard noGrad;
    const at::Tensor source = ids({{11, 12, 13, 14}});
    QVERIFY(at::equal(model->encode(source), model->encode(source)));
    model->train();
    QVERIFY(!at::equal(model->encode(source), model->encode(source)));
}

void TestT5::trainingStepsReduceLoss()
{
    const auto model = tinyModel(13, "gated-gelu", false);
    model->train();
    T5Batch batch;
    batch.inputIds = ids({{11, 12, 13, 14}, {21, 22, 23, 0}});
    batch.attentionMask = (batch.inputIds != 0).to(at::kLong);
    batch.labels = model->labelsFromTargets(ids({{40, 41, 1}, {50, 1, 0}}));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
    double first = 0.0;
    double last = 0.0;
    for (int step = 0; step < 20; ++step) {
        optimizer.zero_grad();
        const at::Tensor loss = model->forward(batch).loss;
        loss.backward();
        if (step == 0) {
            // Every parameter takes part (both relative-bias tables and the untied head included).
            for (const auto &item : model->named_parameters())
                QVERIFY2(item.value().grad().defined() && item.value().grad().abs().sum().item<double>() > 0.0,
                         item.key().c_str());
            first = loss.item<double>();
        }
        last = loss.item<double>();
        optimizer.step();
    }
    QVERIFY2(last < 0.5 * first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));
}

void TestT5::configJsonRoundTrip()
{
    for (const auto &name : T5Config::names()) {
        const T5Config config = T5Config::byName(name);
        QVERIFY(T5Config::fromJson(config.toJson()) == config);
    }
    T5Config custom = T5Config::byName("tiger");
    custom.vocabSize = 1234;
    custom.feedForwardProj = "gated-gelu";
    custom.tieWordEmbeddings = false;
    custom.numDecoderLayers = 3;
    custom.dropoutRate = 0.05;
    test::Scratch scratch;
    custom.saveFile(scratch.path("config.json"));
    QVERIFY(T5Config::fromFile(scratch.path("config.json")) == custom);
    QVERIFY(T5Config::byNameOrFile(scratch.path("config.json").string()) == custom);
    QCOMPARE(T5Config::byNameOrFile("small").dModel, std::int64_t(512));

    const T5Config tiger = T5Config::byName("tiger");
    QCOMPARE(tiger.numLayers, std::int64_t(4));
    QCOMPARE(tiger.numHeads, std::int64_t(6));
    QCOMPARE(tiger.dKv, std::int64_t(64));
    QCOMPARE(tiger.dFf, std::int64_t(1024));
    QCOMPARE(tiger.dModel, std::int64_t(128));
}

void TestT5::huggingFaceConfigLoads()
{
    // google/flan-t5-small's config.json, as transformers writes it (extra keys included).
    const nlohmann::json hf = {
        {"architectures", {"T5ForConditionalGeneration"}},
        {"d_ff", 1024},
        {"d_kv", 64},
        {"d_model", 512},
        {"decoder_start_token_id", 0},
        {"dense_act_fn", "gelu_new"},
        {"dropout_rate", 0.1},
        {"eos_token_id", 1},
        {"feed_forward_proj", "gated-gelu"},
        {"initializer_factor", 1.0},
        {"is_encoder_decoder", true},
        {"is_gated_act", true},
        {"layer_norm_epsilon", 1e-06},
        {"model_type", "t5"},
        {"n_positions", 512},
        {"num_decoder_layers", 8},
        {"num_heads", 6},
        {"num_layers", 8},
        {"output_past", true},
        {"pad_token_id", 0},
        {"relative_attention_max_distance", 128},
        {"relative_attention_num_buckets", 32},
        {"task_specific_params", {{"summarization", {{"prefix", "summarize: "}}}}},
        {"tie_word_embeddings", false},
        {"torch_dtype", "float32"},
        {"transformers_version", "4.23.1"},
        {"use_cache", true},
        {"vocab_size", 32128},
    };
    test::Scratch scratch;
    const auto path = scratch.write("config.json", hf.dump(2));
    const T5Config c = T5Config::fromFile(path);
    QCOMPARE(c.vocabSize, std::int64_t(32128));
    QCOMPARE(c.dModel, std::int64_t(512));
    QCOMPARE(c.dFf, std::int64_t(1024));
    QCOMPARE(c.numLayers, std::int64_t(8));
    QCOMPARE(c.numDecoderLayers, std::int64_t(8));
    QCOMPARE(c.numHeads, std::int64_t(6));
    QCOMPARE(c.tieWordEmbeddings, false);
    QVERIFY(c.isGatedAct());
    QCOMPARE(c.denseActFn(), std::string("gelu_new"));

    // t5-small's older config: no num_decoder_layers (symmetric), no tie key (tied), ReLU.
    nlohmann::json old = hf;
    old.erase("num_decoder_layers");
    old.erase("tie_word_embeddings");
    old.erase("feed_forward_proj");
    old["num_layers"] = 6;
    old["num_decoder_layers"] = nullptr;
    const T5Config o = T5Config::fromJson(old);
    QCOMPARE(o.numDecoderLayers, std::int64_t(6));
    QVERIFY(o.tieWordEmbeddings);
    QCOMPARE(o.feedForwardProj, std::string("relu"));
}

void TestT5::badConfigNamesTheKey()
{
    nlohmann::json j = T5Config::byName("tiny").toJson();
    const auto withKey = [&](const std::string &key, const nlohmann::json &value) {
        nlohmann::json copy = j;
        copy[key] = value;
        return copy;
    };
    QCOMPARE(errorField([&] { T5Config::fromJson(withKey("d_model", "512")); }), QString("d_model"));
    QCOMPARE(errorField([&] { T5Config::fromJson(withKey("num_heads", 2.5)); }), QString("num_heads"));
    QCOMPARE(errorField([&] { T5Config::fromJson(withKey("num_heads", 0)); }), QString("num_heads"));
    QCOMPARE(errorField([&] { T5Config::fromJson(withKey("tie_word_embeddings", "yes")); }),
             QString("tie_word_embeddings"));
    QCOMPARE(errorField([&] { T5Config::fromJson(withKey("feed_forward_proj", "gated-swish")); }),
             QString("feed_forward_proj"));
    QCOMPARE(errorField([&] { T5Config::fromJson(withKey("pad_token_id", 96)); }), QString("pad_token_id"));
    QCOMPARE(errorField([&] { T5Config::fromJson(withKey("model_type", "umt5")); }), QString("model_type"));

    // From a file, the message names the file and the key.
    test::Scratch scratch;
    const auto path = scratch.write("config.json", withKey("dropout_rate", "high").dump());
    try {
        T5Config::fromFile(path);
        QFAIL("no error");
    } catch (const InputError &e) {
        QVERIFY(QString(e.what()).contains("dropout_rate"));
        QCOMPARE(e.file(), path.string());
    }
    QVERIFY(errorField([] { T5Config::byName("huge"); }).contains("unknown T5 config"));
}

QTEST_APPLESS_MAIN(TestT5)
#include "test_t5.moc"
