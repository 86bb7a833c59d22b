// Semantic IDs (TIGER's RQ-VAE, LETTER's regularisers) and what feeds them: the RQ-VAE
// reconstructs a toy clustered set with codes that separate the clusters, the same seed gives the
// same codes, LETTER's diversity regulariser spreads first-level code usage and its collaborative
// one gives items SASRec finds alike shared code prefixes, LSA text embeddings, the
// embeddings-file checks naming file and row, and the ranking-guided loss at temperature 1.
#include "ids/embeddings/EmbeddingsFile.h"
#include "ids/embeddings/LsaEmbeddings.h"
#include "ids/semantic/LetterRegularisers.h"
#include "ids/semantic/RqVaeTraining.h"
#include "ids/semantic/SemanticCodes.h"
#include "model/Safetensors.h"
#include "model/T5Model.h"
#include "support/TestSupport.h"
#include "train/Seq2SeqTrainer.h"

#include <ATen/ATen.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

using namespace idgen;
using namespace idgen::test;

namespace {

// `clusters` well separated groups of `each` points in `dims` dimensions; labels[i] is i's group.
struct ToySet {
    at::Tensor points;
    std::vector<int> labels;
};

ToySet clusteredSet(int clusters, int each, std::int64_t dims, double spread, std::uint64_t seed)
{
    at::manual_seed(seed);
    const at::Tensor centres = at::randn({clusters, dims}) * 3.0;
    ToySet set;
    std::vector<at::Tensor> rows;
    for (int c = 0; c < clusters; ++c) {
        rows.push_back(centres[c].unsqueeze(0) + spread * at::randn({each, dims}));
        for (int i = 0; i < each; ++i)
            set.labels.push_back(c);
    }
    set.points = at::cat(rows, 0);
    return set;
}

RqVaeOptions smallOptions()
{
    RqVaeOptions options;
    options.hidden = {32};
    options.codeDim = 8;
    options.levels = 2;
    options.codes = 4;
    options.epochs = 60;
    options.batch = 64;
    options.learningRate = 3e-3;
    options.seed = 3;
    return options;
}

std::vector<int> levelCodes(const at::Tensor &codes, int level)
{
    const at::Tensor column = codes.select(1, level).to(at::kInt).contiguous();
    return {column.data_ptr<int>(), column.data_ptr<int>() + column.numel()};
}

std::vector<std::string> rawIds(std::size_t count)
{
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < count; ++i)
        ids.push_back("item" + std::to_string(i));
    return ids;
}

void writeNpy(const std::filesystem::path &path, const at::Tensor &matrix)
{
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(matrix.size(0)) +
                         ", " + std::to_string(matrix.size(1)) + "), }";
    while ((10 + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::string bytes = "\x93NUMPY";
    bytes += static_cast<char>(1);
    bytes += static_cast<char>(0);
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header;
    const at::Tensor data = matrix.to(at::kFloat).contiguous();
    bytes.append(static_cast<const char *>(data.data_ptr()), static_cast<std::size_t>(data.numel()) * 4);
    std::ofstream(path, std::ios::binary) << bytes;
}

} // namespace

class TestSemanticIds : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rqvaeReconstructsAndSeparatesClusters()
    {
        const ToySet set = clusteredSet(4, 40, 16, 0.2, 11);
        JobEvents events;
        RqVaeOptions options = smallOptions();
        options.codes = 8; // more codes than clusters: k-means seeding cannot merge two clusters
        const RqVaeResult result = trainRqVae(set.points, options, {}, events);
        QCOMPARE(result.codes.size(0), 160);
        QCOMPARE(result.codes.size(1), 2);
        // No code tuple holds items of two clusters. (The first level alone merged two of the four
        // clusters under one code in this toy; the second level then told them apart.)
        const std::vector<int> first = levelCodes(result.codes, 0);
        const std::vector<int> second = levelCodes(result.codes, 1);
        std::map<std::pair<int, int>, std::set<int>> clustersOfCode;
        for (std::size_t i = 0; i < first.size(); ++i)
            clustersOfCode[{first[i], second[i]}].insert(set.labels[i]);
        for (const auto &[code, clusters] : clustersOfCode)
            QVERIFY2(clusters.size() == 1, qPrintable("codes " + QString::number(code.first) + "," +
                                                      QString::number(code.second) + " hold " +
                                                      QString::number(clusters.size()) + " clusters"));
        // The decoded codes reconstruct the set: far below its variance (mostly between clusters).
        QVERIFY2(result.reconstructionError < 0.2 * result.inputVariance,
                 qPrintable(QString("reconstruction MSE %1, input variance %2")
                                .arg(result.reconstructionError)
                                .arg(result.inputVariance)));
        QCOMPARE(codeUsagePerLevel(result.codes, 8).size(), std::size_t{2});
    }

    void rqvaeIsDeterministic()
    {
        const ToySet set = clusteredSet(3, 30, 12, 0.5, 5);
        RqVaeOptions options = smallOptions();
        options.epochs = 15;
        options.codes = 8;
        JobEvents events;
        const at::Tensor a = trainRqVae(set.points, options, {}, events).codes;
        const at::Tensor b = trainRqVae(set.points, options, {}, events).codes;
        QVERIFY(at::equal(a, b));
    }

    void collisionsAndTheExtraCode()
    {
        const at::Tensor codes = at::tensor(std::vector<std::int64_t>{1, 2, 1, 2, 3, 4, 1, 2}, at::kLong).view({4, 2});
        QCOMPARE(collisionCodes(codes), (std::vector<int>{0, 1, 0, 2}));
        QCOMPARE(collisionRate(codes), 0.5);
        QCOMPARE(semanticCodeToken(0, 3), std::string("<a_3>"));
        QCOMPARE(semanticCodeToken(2, 200), std::string("<c_200>"));
    }

    void collaborativeTargetsProjectWiderEmbeddings()
    {
        at::manual_seed(1);
        const at::Tensor wide = at::randn({50, 64});
        const at::Tensor targets = collaborativeTargets(wide, 32);
        QCOMPARE(targets.size(0), 50);
        QCOMPARE(targets.size(1), 32);
        QVERIFY(at::equal(collaborativeTargets(wide.narrow(1, 0, 32), 32), wide.narrow(1, 0, 32)));
    }

    void lsaGroupsTextsThatShareWords()
    {
        const std::vector<std::string> texts = {
            "title: rose oil serum; brand: bloom", "title: rose oil face serum", "title: rose serum oil drops",
            "title: black nail polish; brand: opi", "title: nail polish black matte", "title: opi nail polish black"};
        LsaOptions options;
        options.dimensions = 4;
        const at::Tensor e = lsaEmbeddings(texts, options);
        QCOMPARE(e.size(0), 6);
        QVERIFY(e.size(1) <= 4);
        const at::Tensor unit = e / e.norm(2, 1, true).clamp_min(1e-9);
        const at::Tensor cosine = at::mm(unit, unit.t());
        const double within = cosine[0][1].item<double>() + cosine[3][4].item<double>();
        const double across = cosine[0][3].item<double>() + cosine[1][4].item<double>();
        QVERIFY2(within > across + 1.0, qPrintable(QString("within %1, across %2").arg(within).arg(across)));
        QVERIFY(at::equal(e, lsaEmbeddings(texts, options))); // seeded
    }

    void embeddingsFilesReadInEveryFormat()
    {
        Scratch scratch;
        const at::Tensor m = at::arange(6, at::kFloat).view({3, 2});
        const auto ids = rawIds(3);
        writeNpy(scratch.path("e.npy"), m);
        QVERIFY(at::equal(readItemEmbeddings(scratch.path("e.npy"), ids), m));
        writeSafetensors(scratch.path("e.safetensors"), {{"item_embeddings", m}});
        QVERIFY(at::equal(readItemEmbeddings(scratch.path("e.safetensors"), ids), m));
        // CSV rows in any order, with a header.
        scratch.write("e.csv", "id,x,y\nitem2,4,5\nitem0,0,1\nitem1,2,3\n");
        QVERIFY(at::equal(readItemEmbeddings(scratch.path("e.csv"), ids), m));
    }

    void embeddingsFileErrorsNameFileAndRow()
    {
        Scratch scratch;
        const auto ids = rawIds(3);
        // Wrong row count.
        writeSafetensors(scratch.path("short.safetensors"), {{"embeddings", at::zeros({2, 4})}});
        QString message = errorOf([&] { readItemEmbeddings(scratch.path("short.safetensors"), ids); });
        QVERIFY2(message.contains("short.safetensors") && message.contains("2 rows") && message.contains("3 items"),
                 qPrintable(message));
        // NaN in a matrix: the row and its item.
        at::Tensor nan = at::zeros({3, 4});
        nan[1][2] = std::nan("");
        writeNpy(scratch.path("nan.npy"), nan);
        message = errorOf([&] { readItemEmbeddings(scratch.path("nan.npy"), ids); });
        QVERIFY2(message.contains("nan.npy") && message.contains("row 2") && message.contains("item1") &&
                     message.contains("column 3") && message.contains("NaN"),
                 qPrintable(message));
        // NaN in a CSV: the line.
        scratch.write("nan.csv", "item0,1,2\nitem1,nan,2\nitem2,1,2\n");
        const InputError nanLine = inputErrorOf([&] { readItemEmbeddings(scratch.path("nan.csv"), ids); });
        QCOMPARE(nanLine.line(), std::uint64_t{2});
        QVERIFY2(QString(nanLine.what()).contains("nan.csv:2"), nanLine.what());
        // Unknown raw id: file and line.
        scratch.write("unknown.csv", "item0,1,2\nitem9,1,2\nitem2,1,2\n");
        const InputError unknown = inputErrorOf([&] { readItemEmbeddings(scratch.path("unknown.csv"), ids); });
        QCOMPARE(unknown.line(), std::uint64_t{2});
        QVERIFY2(QString(unknown.what()).contains("unknown.csv:2") && QString(unknown.what()).contains("item9"),
                 unknown.what());
        // A missing item and a repeated one.
        scratch.write("missing.csv", "item0,1,2\nitem2,1,2\n");
        message = errorOf([&] { readItemEmbeddings(scratch.path("missing.csv"), ids); });
        QVERIFY2(message.contains("missing.csv") && message.contains("item1"), qPrintable(message));
        scratch.write("twice.csv", "item0,1,2\nitem1,1,2\nitem0,1,2\n");
        message = errorOf([&] { readItemEmbeddings(scratch.path("twice.csv"), ids); });
        QVERIFY2(message.contains("twice.csv:3") && message.contains("line 1"), qPrintable(message));
    }

    void rankingLossAtTemperatureOneIsCrossEntropy()
    {
        // One sample, two target tokens over a 3-token vocabulary, the second position padded out.
        const at::Tensor logits =
            at::tensor(std::vector<float>{1.0f, 2.0f, 3.0f, 0.5f, 0.5f, 2.0f, 9.0f, 9.0f, 9.0f}, at::kFloat).view({1, 3, 3});
        const at::Tensor labels = at::tensor(std::vector<std::int64_t>{2, 0, T5Model::kIgnoreIndex}, at::kLong).view({1, 3});
        // By hand: -log softmax(1,2,3)[2] and -log softmax(.5,.5,2)[0], averaged.
        const double first = -(3.0 - std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)));
        const double second = -(0.5 - std::log(2 * std::exp(0.5) + std::exp(2.0)));
        const double expected = (first + second) / 2.0;
        for (const LossAverage average : {LossAverage::Token, LossAverage::Sample}) {
            QVERIFY(std::abs(seq2SeqLoss(logits, labels, average, 1.0).item<double>() - expected) < 1e-5);
            QVERIFY(std::abs(seq2SeqLoss(logits, labels, average, 0.0).item<double>() - expected) < 1e-5);
        }
        // Temperature 0.5 is cross-entropy on doubled logits: a sharper softmax.
        QVERIFY(std::abs(seq2SeqLoss(logits, labels, LossAverage::Token, 0.5).item<double>() -
                         seq2SeqLoss(logits * 2.0, labels, LossAverage::Token, 0.0).item<double>()) < 1e-5);
    }

    // LETTER's diversity regulariser spreads code usage: on 12 clusters of uneven size and 32 codes
    // per level, the first level settles on one code per cluster without it (entropy 3.33 bits)
    // and uses nearly every code with it (4.77 bits at weight 0.01).
    void diversityRegulariserSpreadsFirstLevelCodes()
    {
        at::manual_seed(7);
        const at::Tensor centres = at::randn({12, 32}) * 2.0;
        std::vector<at::Tensor> rows;
        for (int c = 0; c < 12; ++c)
            rows.push_back(centres[c].unsqueeze(0) + 0.5 * at::randn({10 + 15 * c, 32}));
        const at::Tensor points = at::cat(rows, 0) * 0.05;
        RqVaeOptions options = smallOptions();
        options.hidden = {64};
        options.codes = 32;
        options.epochs = 200;
        options.batch = 256;
        options.learningRate = 1e-3;
        JobEvents events;
        const CodeUsage without = codeUsagePerLevel(trainRqVae(points, options, {}, events).codes, 32).front();
        options.diversityWeight = 0.01;
        const RqVaeResult spread = trainRqVae(points, options, {}, events);
        const CodeUsage with = codeUsagePerLevel(spread.codes, 32).front();
        QVERIFY2(with.entropy > without.entropy + 0.8 && with.used > without.used + 10,
                 qPrintable(QString("level-1 entropy %1 bits (%2 codes) with the regulariser, %3 (%4) without")
                                .arg(with.entropy)
                                .arg(with.used)
                                .arg(without.entropy)
                                .arg(without.used)));
        QVERIFY(spread.reconstructionError < 0.2 * spread.inputVariance);
    }

    // LETTER's collaborative regulariser puts items that SASRec finds alike under shared codes:
    // 8 text clusters, SASRec pairing them into 4 groups, 4 first-level codes. Without it, two
    // items of one SASRec group share their first code about as often as text alone decides
    // (0.46); with it, far more often (0.67), and items of different groups less often.
    void collaborativeRegulariserSharesPrefixesOfAlikeItems()
    {
        const ToySet set = clusteredSet(8, 24, 16, 1.0, 21);
        at::manual_seed(5);
        const at::Tensor groupCentres = at::randn({4, 8}) * 3.0;
        std::vector<std::int64_t> group;
        for (const int label : set.labels)
            group.push_back(label / 2);
        const at::Tensor collaborative = groupCentres.index_select(0, at::tensor(group, at::kLong)) +
                                         0.3 * at::randn({set.points.size(0), 8});
        const auto shares = [&](double weight) {
            RqVaeOptions options = smallOptions();
            options.codes = 4;
            options.collaborativeWeight = weight;
            JobEvents events;
            const std::vector<int> first =
                levelCodes(trainRqVae(set.points, options, weight > 0 ? collaborative : at::Tensor(), events).codes, 0);
            double same = 0, sameShared = 0, other = 0, otherShared = 0;
            for (std::size_t a = 0; a < first.size(); ++a)
                for (std::size_t b = a + 1; b < first.size(); ++b) {
                    const bool shared = first[a] == first[b];
                    if (group[a] == group[b]) {
                        same += 1;
                        sameShared += shared;
                    } else {
                        other += 1;
                        otherShared += shared;
                    }
                }
            return std::pair<double, double>(sameShared / same, otherShared / other);
        };
        const auto [offSame, offOther] = shares(0.0);
        const auto [onSame, onOther] = shares(1.0);
        QVERIFY2(onSame > offSame + 0.1 && onSame - onOther > offSame - offOther + 0.1,
                 qPrintable(QString("same-group share %1 (other groups %2) with the regulariser, %3 (%4) without")
                                .arg(onSame)
                                .arg(onOther)
                                .arg(offSame)
                                .arg(offOther)));
    }
};

QTEST_GUILESS_MAIN(TestSemanticIds)
#include "test_semantic_ids.moc"
