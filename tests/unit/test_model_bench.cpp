// `idgenrec bench model`'s core: the analytic FLOP count of a T5 training step (against a hand
// computation and against the model's own weights), a short run on the tiny config (sane numbers,
// not timings), the thread-setting comparison and the thread defaults.
#include "model/T5Config.h"
#include "model/T5Model.h"
#include "runtime/ModelBench.h"
#include "runtime/Runtime.h"
#include "util/Error.h"

#include <QtTest/QtTest>

#include <cmath>
#include <cstdlib>

using namespace idgen;

namespace {

bool positiveFinite(double value)
{
    return std::isfinite(value) && value > 0.0;
}

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

ModelBenchOptions tinyOptions()
{
    ModelBenchOptions options;
    options.config = "tiny";
    options.batch = 2;
    options.sourceLength = 16;
    options.targetLength = 4;
    options.warmupSteps = 1;
    options.steps = 2;
    options.gemmSize = 128;
    return options;
}

} // namespace

class TestModelBench : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void flopCountOfTinyByHand()
    {
        // tiny: d_model 32, 4 heads x d_kv 8 = inner 32, d_ff 64, vocab 96, 2 + 2 layers, ReLU (2 FF
        // matrices). B = 2 sequences, S = 5 source and T = 3 target tokens.
        //   encoder weights per token:  2 layers x (4 x 32 x 32 + 2 x 32 x 64) = 16384, x B S = 10 -> 163840
        //   decoder weights per target: 2 x (6 x 32 x 32 + 2 x 32 x 64) = 20480,       x B T = 6  -> 122880
        //   cross k, v per source:      2 x (2 x 32 x 32) = 4096,                       x B S = 10 -> 40960
        //   dense = 6 x (163840 + 122880 + 40960) = 1966080
        //   attention = 3 x 2 x 2 x 32 x B [2 x 5 x 5 + 2 x (3 x 3 + 3 x 5)] = 384 x 2 x 98 = 75264
        //   LM head = 6 x 96 x 32 x B T = 110592
        const TrainStepFlops flops = trainStepFlops(T5Config::byName("tiny"), 2, 5, 3);
        QCOMPARE(flops.dense, 1966080.0);
        QCOMPARE(flops.attention, 75264.0);
        QCOMPARE(flops.lmHead, 110592.0);
        QCOMPARE(flops.total(), 2151936.0);

        // Gated GELU has three FF matrices: + 32 x 64 per layer and token.
        //   6 x (2 x 10240 x 10 + 2 x 12288 x 6 + 40960) = 6 x 393216 = 2359296
        T5Config gated = T5Config::byName("tiny");
        gated.feedForwardProj = "gated-gelu";
        QCOMPARE(trainStepFlops(gated, 2, 5, 3).dense, 2359296.0);
    }

    void denseFlopsMatchTheModelsWeights()
    {
        // With as many target as source tokens every matmul weight meets B x L tokens, so the dense
        // count must be 6 x B x L x (the number of projection and feed-forward weights the model has).
        for (const std::string ffn : {"relu", "gated-gelu"}) {
            T5Config config = T5Config::byName("tiny");
            config.feedForwardProj = ffn;
            T5Model model(config);
            double weights = 0.0;
            for (const auto &item : model.named_parameters()) {
                const std::string &name = item.key();
                for (const char *suffix : {".q.weight", ".k.weight", ".v.weight", ".o.weight", ".wi.weight",
                                           ".wi_0.weight", ".wi_1.weight", ".wo.weight"})
                    if (endsWith(name, suffix))
                        weights += static_cast<double>(item.value().numel());
            }
            const std::int64_t batch = 3;
            const std::int64_t length = 7;
            QCOMPARE(trainStepFlops(config, batch, length, length).dense, 6.0 * batch * length * weights);
            // The LM head is vocab x d_model whether tied or not.
            QCOMPARE(trainStepFlops(config, batch, length, length).lmHead,
                     6.0 * batch * length * static_cast<double>(model.embeddingTable().numel()));
        }
    }

    void shortRunOnTiny()
    {
        const ModelBenchOptions options = tinyOptions();
        const ModelBenchResult r = runModelBench(options);
        QCOMPARE(r.device, std::string("cpu"));
        QVERIFY(!r.bf16);
        QCOMPARE(r.batch, std::int64_t(2));
        QCOMPARE(r.stepSeconds.size(), std::size_t(2));
        for (double s : r.stepSeconds)
            QVERIFY(positiveFinite(s));
        QVERIFY(positiveFinite(r.medianStepSeconds));
        QVERIFY(positiveFinite(r.trainTokensPerS));
        QVERIFY(positiveFinite(r.modelGflopsPerS));
        QVERIFY(positiveFinite(r.gemmGflopsPerS));
        QVERIFY(positiveFinite(r.ratio));
        QCOMPARE(r.flops.total(), trainStepFlops(T5Config::byName("tiny"), 2, 16, 4).total());
        QVERIFY(std::abs(r.ratio - r.modelGflopsPerS / r.gemmGflopsPerS) <= 1e-12 * r.ratio);
        QVERIFY(std::abs(r.modelGflopsPerS - r.flops.total() / r.medianStepSeconds / 1e9) <= 1e-9 * r.modelGflopsPerS);
        QVERIFY(std::abs(r.trainTokensPerS - 2.0 * (16 + 4) / r.medianStepSeconds) <= 1e-9 * r.trainTokensPerS);
    }

    void badOptionsAreErrors()
    {
        ModelBenchOptions options = tinyOptions();
        options.device = "tpu";
        QVERIFY_THROWS_EXCEPTION(Error, runModelBench(options));
        options = tinyOptions();
        options.config = "enormous";
        QVERIFY_THROWS_EXCEPTION(Error, runModelBench(options));
        options = tinyOptions();
        options.steps = 0;
        QVERIFY_THROWS_EXCEPTION(Error, runModelBench(options));
        if (!probeRuntime().cudaAvailable) {
            options = tinyOptions();
            options.device = "cuda";
            QVERIFY_THROWS_EXCEPTION(Error, runModelBench(options));
        }
    }

    void compareThreadsRestoresTheSettings()
    {
        applyThreads(1, 1);
        const ThreadSettings before = currentThreads();
        const auto timings = compareThreadSettings(tinyOptions(), {{1, 1}, {2, 2}}, 2);
        QCOMPARE(timings.size(), std::size_t(2));
        QCOMPARE(timings[1].torchThreads, 2);
        for (const auto &t : timings) {
            QCOMPARE(t.stepSeconds.size(), std::size_t(2));
            QVERIFY(positiveFinite(t.medianStepSeconds));
            QVERIFY(positiveFinite(t.gemmGflopsPerS));
        }
        QCOMPARE(currentThreads().torch, before.torch);
        QCOMPARE(currentThreads().blas, before.blas);
    }

    void breakdownAddsUp()
    {
        const auto parts = modelBenchBreakdown(tinyOptions());
        QVERIFY(parts.size() > 5);
        QCOMPARE(parts.back().name, std::string("whole step"));
        QCOMPARE(parts.back().flops, trainStepFlops(T5Config::byName("tiny"), 2, 16, 4).total());
        // The matmul FLOPs of the parts are the whole step's, split.
        double flops = 0.0;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            QVERIFY(parts[i].seconds >= 0.0);
            flops += parts[i].flops;
        }
        QVERIFY(std::abs(flops - parts.back().flops) <= 1e-9 * flops);
    }

    void threadDefaults()
    {
        // An explicit count wins; with OpenBLAS loaded it gets the cores and Torch's pool one thread.
        ThreadSettings s = applyDefaultThreads(2);
        QCOMPARE(s.source, std::string("explicit"));
        if (s.blas > 0) {
            QCOMPARE(s.torch, 1);
            QCOMPARE(s.blas, 2);
        } else {
            QCOMPARE(s.torch, 2);
        }
        qputenv("IDGEN_THREADS", "1");
        s = applyDefaultThreads();
        QCOMPARE(s.source, std::string("IDGEN_THREADS"));
        QCOMPARE(s.torch, 1);
        if (s.blas > 0)
            QCOMPARE(s.blas, 1);
        qputenv("IDGEN_THREADS", "many");
        QVERIFY_THROWS_EXCEPTION(Error, applyDefaultThreads());
        qunsetenv("IDGEN_THREADS");
        QCOMPARE(applyDefaultThreads().source, std::string("default"));
    }
};

QTEST_APPLESS_MAIN(TestModelBench)
#include "test_model_bench.moc"
