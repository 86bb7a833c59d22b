// IDGenRec's alternate training: the soft-embedding splice against a per-example reference,
// gradients that reach the generator only, rounds that write linked snapshots, resume in every
// phase, leak-free user IDs, and `ids diff`.
#include "data/DemoDataset.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdDiff.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/UserIdSource.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "support/TestSupport.h"
#include "text/TokenizerJob.h"
#include "text/TokenizerRepository.h"
#include "train/AlternateConfig.h"
#include "train/AlternateTraining.h"
#include "train/BuiltinConfigs.h"
#include "train/RunRepository.h"
#include "train/SoftIds.h"
#include "train/Training.h"

#include <ATen/ATen.h>
#include <map>
#include <set>
#include <torch/torch.h>

using namespace idgen;

namespace {

const char *kTinyAlternate = R"(
[rounds]
rounds = 2
first = "recommender"
recommender_epochs = 1
[generator]
epochs = 1
learning_rate = 0.001
batch = 8
max_steps = 4
max_source_tokens = 32
size = "tiny"
warmup_epochs = 1
[model]
size = "tiny"
[data]
max_history = 5
max_prompt_tokens = 64
templates_per_sample = 1
[train]
batch = 16
learning_rate = 0.003
seed = 5
[validation]
users = 20
beams = 5
[test]
beams = 5
[checkpoint]
every_minutes = 0.0
)";

std::shared_ptr<T5Model> tinyModel(std::uint64_t seed, std::int64_t vocab)
{
    T5Config config = T5Config::byName("tiny");
    config.vocabSize = vocab;
    config.dropoutRate = 0.0;
    at::manual_seed(seed);
    return std::make_shared<T5Model>(config);
}

// Asks for a stop once the count-th metric point, or progress report, of that name has been seen.
class StopAt final : public JobEvents {
public:
    StopAt(std::string name, std::int64_t count) : m_name(std::move(name)), m_count(count) {}
    void metric(const MetricPoint &point) override { see(point.name); }
    void progress(double, std::string_view stage) override { see(stage); }
    void see(std::string_view name)
    {
        if (name == m_name && ++m_seen >= m_count)
            m_flag = true;
    }
    StopToken token() const { return StopToken(&m_flag); }

private:
    std::string m_name;
    std::int64_t m_count;
    std::int64_t m_seen = 0;
    std::atomic<bool> m_flag{false};
};

} // namespace

class TestAlternate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_config = m_scratch.write("alternate.toml", kTinyAlternate);
        m_project = m_scratch.path("alternate.idgenrec");
        DemoOptions demo;
        demo.version = 1;
        demo.items = 30;
        demo.users = 40;
        demo.minSequence = 4;
        demo.maxSequence = 8;
        test::createDemoProject(m_project, demo, 200);
    }

    // Each item's soft vectors are its own greedy decode's distributions times the table, and the
    // splice puts table rows and soft rows where the row indices say.
    void softIdsEqualOneItemAtATime_data()
    {
        QTest::addColumn<bool>("logSoftmax");
        QTest::newRow("softmax") << false;
        QTest::newRow("log-softmax") << true;
    }
    void softIdsEqualOneItemAtATime()
    {
        QFETCH(bool, logSoftmax);
        const SoftMix mix = logSoftmax ? SoftMix::LogSoftmax : SoftMix::Softmax;
        auto generator = tinyModel(1, 96);
        auto recommender = tinyModel(2, 96);
        generator->eval();
        const std::vector<std::vector<int>> sources = {{5, 6, 7, 1}, {9, 1}, {20, 21, 22, 23, 24, 1}};
        const SoftIds batch = generateSoftIds(*generator, recommender->embeddingTable(), sources, 90, 4, mix);
        QCOMPARE(batch.first.size(), sources.size());
        for (std::size_t i = 0; i < sources.size(); ++i) {
            const std::vector<std::vector<int>> one = {sources[i]};
            const SoftIds alone = generateSoftIds(*generator, recommender->embeddingTable(), one, 90, 4, mix);
            QCOMPARE(batch.length[i], alone.length[0]);
            QCOMPARE(batch.tokens[i], alone.tokens[0]);
            // The reference: greedy decoding by hand, step by step, full vocabulary logits.
            at::Tensor decoder = at::zeros({1, 1}, at::kLong);
            const auto [ids, mask] = padTokens<int>(one, 0, c10::Device(c10::kCPU));
            for (std::int64_t t = 0; t < alone.length[0]; ++t) {
                const at::Tensor logits = generator->decode(decoder, generator->encode(ids, mask), mask)
                                              .select(1, -1)
                                              .slice(1, 0, 90);
                const at::Tensor dist = logSoftmax ? at::log_softmax(logits, 1) : at::softmax(logits, 1);
                const at::Tensor expected = at::matmul(dist, recommender->embeddingTable().slice(0, 0, 90));
                const at::Tensor got = batch.vectors[batch.first[i] + t].unsqueeze(0);
                QVERIFY2(at::allclose(got, expected, 1e-4, 1e-5), "soft vector differs from the one-item reference");
                decoder = at::cat({decoder, logits.argmax(1).unsqueeze(1)}, 1);
            }
        }
        // Splice: row r < vocab is the table's row, vocab + k the k-th soft vector; padding masked.
        const at::Tensor table = recommender->embeddingTable();
        const std::int64_t vocab = table.size(0);
        const std::vector<std::vector<std::int64_t>> rows = {{3, vocab + 0, 4, 1}, {vocab + 1, 1}};
        const auto [embeds, mask] = spliceRows(table, batch.vectors, rows, 0);
        QCOMPARE(embeds.size(1), std::int64_t(4));
        QVERIFY(at::equal(embeds[0][0], table[3]));
        QVERIFY(at::equal(embeds[0][1], batch.vectors[0]));
        QVERIFY(at::equal(embeds[1][0], batch.vectors[1]));
        QVERIFY(at::equal(embeds[1][2], table[0]));
        QCOMPARE(mask[1].sum().item<std::int64_t>(), std::int64_t(2));
    }

    // Through the frozen recommender, the loss moves the generator and nothing of the recommender.
    void gradientsReachTheGeneratorOnly()
    {
        auto generator = tinyModel(3, 96);
        auto recommender = tinyModel(4, 96);
        for (auto &p : recommender->parameters())
            p.set_requires_grad(false);
        const std::vector<at::Tensor> before = [&] {
            std::vector<at::Tensor> v;
            for (const auto &p : recommender->parameters())
                v.push_back(p.clone());
            return v;
        }();
        const std::vector<std::vector<int>> sources = {{5, 6, 7, 1}, {9, 10, 1}};
        const SoftIds soft = generateSoftIds(*generator, recommender->embeddingTable(), sources, 90, 3, SoftMix::Softmax);
        QVERIFY(soft.vectors.requires_grad());
        const std::int64_t vocab = recommender->embeddingTable().size(0);
        std::vector<std::vector<std::int64_t>> rows = {{11, 12}, {11}};
        for (std::int64_t j = 0; j < soft.length[0]; ++j)
            rows[0].push_back(vocab + soft.first[0] + j);
        for (std::int64_t j = 0; j < soft.length[1]; ++j)
            rows[1].push_back(vocab + soft.first[1] + j);
        rows[0].push_back(1);
        rows[1].push_back(1);
        const auto [embeds, mask] = spliceRows(recommender->embeddingTable(), soft.vectors, rows, 0);
        T5Batch input;
        input.inputsEmbeds = embeds;
        input.attentionMask = mask;
        const at::Tensor labels = at::tensor({30, 31, 1, 40, 1, -100}, at::kLong).view({2, 3});
        input.decoderInputIds = recommender->shiftRight(labels);
        torch::optim::AdamW optimizer(generator->parameters(), torch::optim::AdamWOptions(1e-2));
        optimizer.zero_grad();
        T5Model::sampleMeanLoss(recommender->forward(input).logits, labels).backward();
        double generatorGradient = 0.0;
        for (const auto &p : generator->parameters())
            if (p.grad().defined())
                generatorGradient += p.grad().abs().sum().item<double>();
        QVERIFY2(generatorGradient > 0.0, "no gradient reached the generator");
        for (const auto &p : recommender->parameters())
            QVERIFY(!p.grad().defined() || p.grad().abs().sum().item<double>() == 0.0);
        optimizer.step();
        const auto after = recommender->parameters();
        for (std::size_t i = 0; i < after.size(); ++i)
            QVERIFY(at::equal(after[i], before[i]));
    }

    // A 2-round run: round 0 plus one new snapshot per round, linked, ID movement recorded; the
    // same run stopped in each phase and resumed ends with the same IDs and metrics.
    void roundsWriteLinkedSnapshotsAndResumeInEveryPhase()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        JobEvents quiet;
        const TrainRequest request{"demo", m_config.string(), std::nullopt, ""};
        const std::int64_t whole = startTraining(db, request, quiet);
        RunRepository runs(db);
        const RunRecord run = runs.load(whole);
        QCOMPARE(QString::fromStdString(run.status), QString("done"));
        QCOMPARE(run.kind, std::string("alternate"));
        const auto linked = runs.snapshots(whole);
        QCOMPARE(linked.size(), std::size_t(3));
        IdSnapshotRepository snapshots(db);
        for (int round = 1; round <= 2; ++round) {
            QCOMPARE(linked[static_cast<std::size_t>(round)].first, round);
            const IdSnapshotInfo info = snapshots.get(linked[static_cast<std::size_t>(round)].second);
            QCOMPARE(info.round, round);
            QCOMPARE(info.scheme, std::string("textual"));
        }
        QCOMPARE(run.summary["rounds"].size(), std::size_t(3));
        QVERIFY(run.summary["rounds"][1].contains("changed_fraction"));
        QVERIFY(run.summary["test"]["metrics"].contains("hr@5"));
        QVERIFY(!runs.metrics(whole, "id_loss").empty());
        QCOMPARE(runs.metrics(whole, "changed_fraction").size(), std::size_t(2));

        // Stopped inside the recommender phase of round 0, inside the ID phase of round 1, inside
        // round 1's assignment (its items assigned, its users not: the round-0 IDs of each run
        // are the first "assigning item IDs"), and between that assignment and the recommender
        // phase; each resumed to the end.
        for (const auto &[name, count] : std::vector<std::pair<std::string, std::int64_t>>{
                 {"loss", 3}, {"id_loss", 2}, {"assigning item IDs", 2}, {"changed_fraction", 1}}) {
            StopAt stopper(name, count);
            TrainingControl control;
            control.stop = stopper.token();
            const std::int64_t split = startTraining(db, request, stopper, control);
            QCOMPARE(QString::fromStdString(runs.load(split).status), QString("stopped"));
            for (int guard = 0; guard < 5 && runs.load(split).status != "done"; ++guard)
                resumeTraining(db, split, quiet);
            const RunRecord resumed = runs.load(split);
            QCOMPARE(QString::fromStdString(resumed.status), QString("done"));
            QCOMPARE(resumed.summary["test"]["metrics"], run.summary["test"]["metrics"]);
            const auto ours = runs.snapshots(split);
            QCOMPARE(ours.size(), linked.size());
            QCOMPARE(snapshots.load(ours.back().second).items.texts, snapshots.load(linked.back().second).items.texts);
        }
    }

    // `initial_recommender_epochs` sizes the round-0 recommender phase alone, and
    // `steps_per_round` caps the ID phase at that many generator steps.
    void scheduleKeysSizeThePhases()
    {
        std::string text = kTinyAlternate;
        const auto replace = [&](const std::string &from, const std::string &to) {
            const auto at = text.find(from);
            QVERIFY(at != std::string::npos);
            text.replace(at, from.size(), to);
        };
        replace("rounds = 2\n", "rounds = 1\n");
        replace("recommender_epochs = 1\n", "recommender_epochs = 1\ninitial_recommender_epochs = 2\n");
        replace("epochs = 1\nlearning_rate = 0.001\n", "epochs = 1\nsteps_per_round = 3\nlearning_rate = 0.001\n");
        const auto config = m_scratch.write("schedule.toml", text);
        Database db(m_project, Database::Mode::OpenExisting);
        JobEvents quiet;
        const std::int64_t id = startTraining(db, {"demo", config.string(), std::nullopt, ""}, quiet);
        RunRepository runs(db);
        QCOMPARE(QString::fromStdString(runs.load(id).status), QString("done"));
        QCOMPARE(runs.metrics(id, "id_loss").size(), std::size_t(3));
        std::map<int, std::set<int>> validatedEpochs;
        for (const MetricPoint &point : runs.metrics(id))
            if (point.split == "valid")
                validatedEpochs[point.round].insert(point.epoch);
        QCOMPARE(validatedEpochs[0].size(), std::size_t(2));
        QCOMPARE(validatedEpochs[1].size(), std::size_t(1));
    }

    // Every shipped recommender and alternate config parses (names, ranges, the T5 sizes of both
    // the recommender and the generator), so a typo fails here rather than in a user's run.
    void builtinConfigsParse()
    {
        int alternate = 0;
        for (const BuiltinConfig &config : builtinConfigs()) {
            const std::string origin = std::string("built-in ") + config.name;
            if (AlternateConfig::isAlternate(config.text, origin)) {
                const AlternateConfig parsed = AlternateConfig::parse(config.text, config.name, origin);
                QVERIFY(parsed.rounds >= 1);
                ++alternate;
            } else if (std::string(config.name).rfind("sasrec", 0) != 0) {
                (void)RecommenderConfig::parse(config.text, config.name, origin);
            }
        }
        QCOMPARE(alternate, 3);
        const AlternateConfig demo = AlternateConfig::load("demo-idgenrec");
        QCOMPARE(demo.generatorSize, std::string("mini"));
        QCOMPARE(demo.initialRecommenderEpochs, 2);
        QCOMPARE(demo.recommenderEpochs, 1);
    }

    // Leak-free user IDs are written from items[:-2]: a different test item changes nothing.
    void leakFreeUserIdsIgnoreTheTestItem()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        Dataset dataset = DatasetRepository(db).load("demo");
        std::vector<std::string> itemIds;
        for (std::size_t i = 0; i < dataset.itemCount(); ++i)
            itemIds.push_back("id" + std::to_string(i));
        const auto before = userHistoryTexts(dataset, itemIds);
        const std::uint64_t last = dataset.sequenceOffsets[1] - 1; // user 0's test item
        dataset.sequenceItems[last] = (dataset.sequenceItems[last] + 1) % static_cast<std::uint32_t>(dataset.itemCount());
        QCOMPARE(userHistoryTexts(dataset, itemIds), before);
        QVERIFY(userHistoryTexts(dataset, itemIds, UserIdHistory::Leaky) != before);
    }

    void diffOfHandMadeSnapshots()
    {
        Dataset dataset;
        dataset.itemRawIds = {"a", "b", "c", "d"};
        dataset.itemFields = {nlohmann::json{{"title", "Rose oil"}}, nlohmann::json{{"title", "Nail art"}},
                              nlohmann::json::object(), nlohmann::json::object()};
        IdSnapshot from, to;
        from.dataset = to.dataset = "x";
        for (const char *text : {"rose oil", "nail art kit", "blue", "red shoe"})
            from.items.push(text, {});
        for (const char *text : {"rose oil", "nail kit", "green", "red running shoe"})
            to.items.push(text, {});
        const IdDiff diff = diffSnapshots(dataset, from, to, 2);
        QCOMPARE(diff.items, std::size_t(4));
        QCOMPARE(diff.changed, std::size_t(3));
        QCOMPARE(diff.changedFraction, 0.75);
        QCOMPARE(diff.meanEditWords, (1.0 + 1.0 + 1.0) / 4.0); // delete, substitute, insert
        QCOMPARE(diff.examples.size(), std::size_t(2));
        QCOMPARE(diff.examples[0].rawId, std::string("b"));
        QCOMPARE(diff.toJson()["changed"].get<int>(), 3);
        QCOMPARE(wordEditDistance("a b c", "c b a"), std::size_t(2));
        to.dataset = "y";
        QVERIFY(!test::errorOf([&] { diffSnapshots(dataset, from, to); }).isEmpty());
    }

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    std::filesystem::path m_config;
};

QTEST_GUILESS_MAIN(TestAlternate)
#include "test_alternate.moc"
