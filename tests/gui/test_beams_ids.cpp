// The beam inspector and the IDs view: the beam tree built from a hand-written and from a
// recorded trace (nodes, parents, pruned marks checked against the trie), its layout, the
// snapshot diff of two hand-made snapshots (word-level changes, shapes), both views on a tiny
// project (search, comparison, a decoding on the worker with a forced prefix and without the
// trie), and the screenshot command for `beams` and `ids`.
#include "MainWindow.h"
#include "ProjectContext.h"
#include "Screenshot.h"
#include "models/BeamTreeLayout.h"
#include "models/RankedItemsModel.h"
#include "models/RunRoundsModel.h"
#include "models/SnapshotBrowserModel.h"
#include "models/SnapshotDiffModel.h"
#include "models/WordChangesHtml.h"
#include "plot/PlotWidget.h"
#include "views/BeamsView.h"
#include "views/IdBrowserPage.h"
#include "views/IdComparePage.h"
#include "views/IdsView.h"
#include "widgets/BeamTreeWidget.h"
#include "widgets/TableExportButton.h"

#include "data/Dataset.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdDiff.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/SnapshotShape.h"
#include "ids/WordChanges.h"
#include "recommend/BeamInspection.h"
#include "recommend/DecodeTraceRepository.h"
#include "recommend/RecommenderSetup.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "support/TestSupport.h"

#include <QCheckBox>
#include <QImage>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>

#include <chrono>
#include <filesystem>

#include <limits>

using namespace idgen;
using namespace idgen::ui;

namespace {

// Two beams over three steps: beam 0 "rose" ends at step 1, "oil cream" ends at step 2, "rose
// hand" is dropped; "zzz" (at the start) and "x" (after "oil") were pruned.
nlohmann::json handTrace()
{
    return nlohmann::json::parse(R"([
      {"step": 0, "chosen": [
         {"slot": 0, "parent": -1, "token": 5, "piece": "\u2581rose", "log_prob": -0.5, "group": 0},
         {"slot": 1, "parent": -1, "token": 6, "piece": "\u2581oil", "log_prob": -0.9, "group": 0}],
       "pruned": [{"parent": -1, "token": 9, "piece": "\u2581zzz", "log_prob": -0.3}]},
      {"step": 1, "chosen": [
         {"slot": -1, "parent": 0, "token": 1, "piece": "</s>", "log_prob": -0.7, "group": 0},
         {"slot": 0, "parent": 1, "token": 7, "piece": "\u2581cream", "log_prob": -1.2, "group": 0},
         {"slot": 1, "parent": 0, "token": 8, "piece": "\u2581hand", "log_prob": -1.5, "group": 0}],
       "pruned": [{"parent": 1, "token": 10, "piece": "x", "log_prob": -1.0}]},
      {"step": 2, "chosen": [{"slot": -1, "parent": 0, "token": 1, "piece": "</s>", "log_prob": -1.4, "group": 0}],
       "pruned": []}
    ])");
}

Dataset handDataset()
{
    Dataset d;
    d.userRawIds = {"u1"};
    d.itemRawIds = {"a", "b", "c", "d"};
    d.itemFields.resize(4);
    d.sequenceOffsets = {0, 4};
    d.sequenceItems = {0, 1, 2, 3};
    return d;
}

IdSnapshot handSnapshot(std::int64_t id, const std::vector<std::string> &texts)
{
    IdSnapshot s;
    s.id = id;
    s.dataset = "hand";
    int next = 5;
    for (const auto &text : texts) {
        std::vector<int> tokens;
        for (std::size_t i = 0; i <= text.size(); ++i)
            if (i == text.size() || text[i] == ' ')
                tokens.push_back(next++); // one token per word
        s.items.push(text, tokens);
    }
    return s;
}

int screenshot(MainWindow &window, const QString &view, const ScreenshotRequest &request, const QString &file,
               QString &message)
{
    int code = -1;
    runScreenshot(window, {view, request, file}, [&](int c, const QString &m) {
        code = c;
        message = m;
    });
    if (!QTest::qWaitFor([&] { return code >= 0; }, 120000))
        message = QStringLiteral("the screenshot command did not finish in 120 s");
    return code;
}

} // namespace

class TestBeamsIds : public QObject {
    Q_OBJECT
private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;
    QString m_checkpoint;
    std::int64_t m_title = 0;      // title IDs
    std::int64_t m_sequential = 0; // sequential IDs
    std::int64_t m_trace = 0;
    std::string m_user;

    // The ranked items' CSV: a header and one line per shown row, written from the inspection
    // (not from the table), columns as shown (a hidden one left out).
    void rankedItemsExportIsWhatTheTableShows(BeamsView &beams)
    {
        const QString file = QString::fromStdString(m_scratch.path("ranked.csv").string());
        const auto quoted = [](QString text) {
            return text.contains(',') || text.contains('"') || text.contains('\n') ? '"' + text.replace('"', "\"\"") + '"' : text;
        };
        for (const bool hideRawId : {false, true}) {
            beams.rankedTable()->setColumnHidden(RankedItemsModel::RawId, hideRawId);
            QSignalSpy exported(beams.rankedExport(), &TableExportButton::exported);
            beams.rankedExport()->exportTo(file);
            QCOMPARE(exported.count(), 1);
            QStringList expected{hideRawId ? "Rank,ID,Title,Score" : "Rank,ID,Title,Score,Item"};
            for (const RankedItem &r : beams.inspection()->ranked) {
                QStringList line{QString::number(r.rank), quoted(QString::fromStdString(r.idText)),
                                 quoted(QString::fromStdString(r.title)), QString::number(r.score, 'f', 4)};
                if (!hideRawId)
                    line << quoted(QString::fromStdString(r.rawId));
                expected << line.join(',');
            }
            QCOMPARE(QString::fromStdString(test::readFile(file.toStdString())), expected.join('\n') + '\n');
        }
        beams.rankedTable()->setColumnHidden(RankedItemsModel::RawId, false);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("IDGenRecTest");
        m_project = m_scratch.path("beams.idgenrec");
        DemoOptions demo;
        demo.version = 1;
        demo.items = 40;
        demo.users = 60;
        demo.minSequence = 4;
        demo.maxSequence = 12;
        test::createDemoProject(m_project, demo, 300);
        Database db(m_project);
        JobEvents quiet;
        IdAssignmentOptions ids;
        ids.dataset = "demo";
        ids.scheme = "title";
        m_title = assignIds(db, ids, quiet).snapshot.id;
        ids.scheme = "sequential";
        m_sequential = assignIds(db, ids, quiet).snapshot.id;
        m_checkpoint = QString::fromStdString(m_scratch.path("tiny.ckpt").string());
        const test::CliResult init = test::runCli({"model", "init", "--project", QString::fromStdString(m_project.string()),
                                                   "--dataset", "demo", "--config", "tiny", "--out", m_checkpoint});
        QVERIFY2(init.code == 0, init.all().c_str());
        m_user = DatasetRepository(db).load("demo").userRawIds[3];
    }

    void beamTreeFromAHandWrittenTrace()
    {
        const BeamTree tree = beamTreeFromTrace(handTrace());
        QCOMPARE(tree.nodes.size(), std::size_t(9));
        QCOMPARE(tree.steps, 3);
        QCOMPARE(tree.beams, 2);
        using Kind = BeamTreeNode::Kind;
        const std::vector<Kind> kinds{Kind::Root, Kind::Beam, Kind::Beam, Kind::Pruned, Kind::Ended,
                                      Kind::Beam, Kind::Beam, Kind::Pruned, Kind::Ended};
        const std::vector<int> parents{-1, 0, 0, 0, 1, 2, 1, 2, 5};
        const std::vector<bool> finished{true, true, true, false, true, true, false, false, true};
        for (std::size_t n = 0; n < kinds.size(); ++n) {
            QCOMPARE(tree.nodes[n].kind, kinds[n]);
            QCOMPARE(tree.nodes[n].parent, parents[n]);
            QCOMPARE(tree.nodes[n].finished, finished[n]);
        }
        QCOMPARE(tree.nodes[7].logProb, -1.0);
        QCOMPARE(tree.count(Kind::Pruned), std::size_t(2));
        QCOMPARE(tree.pathText(8), std::string("oil cream"));
        QCOMPARE(tree.pathText(4), std::string("rose"));
        QCOMPARE(tree.pathTokens(8), (std::vector<std::int32_t>{6, 7}));
        QCOMPARE(tree.children(2), (std::vector<int>{5, 7}));

        nlohmann::json broken = handTrace();
        broken[1]["chosen"][1]["parent"] = 3;
        const QString error = test::errorOf([&] { beamTreeFromTrace(broken); });
        QVERIFY2(error.contains("step 1") && error.contains("parent beam 3"), qPrintable(error));
        broken = handTrace();
        broken[2]["chosen"][0].erase("log_prob");
        QVERIFY(test::errorOf([&] { beamTreeFromTrace(broken); }).contains("'log_prob'"));
    }

    void layoutPlacesChildrenInTheNextColumn()
    {
        const BeamTree tree = beamTreeFromTrace(handTrace());
        const BeamTreeLayout all(tree, {});
        QCOMPARE(all.order().size(), tree.nodes.size());
        std::set<double> leafRows;
        for (std::size_t n = 1; n < tree.nodes.size(); ++n) {
            QCOMPARE(all.column(static_cast<int>(n)), all.column(tree.nodes[n].parent) + 1);
            if (tree.children(static_cast<int>(n)).empty())
                QVERIFY(leafRows.insert(all.row(static_cast<int>(n))).second); // leaves never overlap
        }
        QCOMPARE(all.columns(), 4);
        BeamTreeLayout::Options options;
        options.showPruned = false;
        const BeamTreeLayout noPruned(tree, options);
        QVERIFY(!noPruned.visible(3) && !noPruned.visible(7) && noPruned.visible(8));
        QCOMPARE(noPruned.order().size(), std::size_t(7));
        options.showPruned = true;
        options.lastStep = 0;
        const BeamTreeLayout firstStep(tree, options);
        QCOMPARE(firstStep.order().size(), std::size_t(4)); // root, two beams, one pruned
        // Pruned alternatives of one beam share a box, the best standing for the group.
        nlohmann::json two = handTrace();
        two[0]["pruned"].push_back({{"parent", -1}, {"token", 11}, {"piece", "y"}, {"log_prob", -0.1}});
        const BeamTree wider = beamTreeFromTrace(two);
        const BeamTreeLayout grouped(wider, {});
        QCOMPARE(grouped.order().size(), wider.nodes.size() - 1);
        QCOMPARE(grouped.prunedGroup(4), (std::vector<int>{4, 3})); // "y" (-0.1) before "zzz" (-0.3)
        QVERIFY(grouped.visible(3) && grouped.row(3) == grouped.row(4));
        QVERIFY(grouped.prunedGroup(3).empty());
    }

    void recordedTraceMatchesTheTrie()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        UserDecodeRequest request;
        request.checkpoint = m_checkpoint.toStdString();
        request.snapshot = m_title;
        request.userRawId = m_user;
        request.beams = 5;
        request.trace = true;
        const UserDecodeResult result = decodeUser(db, request);
        const BeamTree tree = beamTreeFromTrace(result.traceJson);
        std::size_t chosen = 0;
        std::size_t pruned = 0;
        for (const TraceStep &step : result.trace) {
            chosen += step.chosen.size();
            pruned += step.pruned.size();
        }
        QCOMPARE(tree.nodes.size(), 1 + chosen + pruned);
        QCOMPARE(tree.count(BeamTreeNode::Kind::Pruned), pruned);
        QVERIFY(pruned > 0); // an untrained model prefers tokens no ID continues with
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(m_title);
        const PrefixTrie trie = itemTrie(snapshot, 1);
        for (std::size_t n = 1; n < tree.nodes.size(); ++n) {
            const BeamTreeNode &node = tree.nodes[n];
            const BeamTreeNode &parent = tree.nodes[static_cast<std::size_t>(node.parent)];
            QCOMPARE(parent.step, node.step - 1); // the root's step is -1
            std::vector<std::int32_t> path = tree.pathTokens(static_cast<int>(n));
            switch (node.kind) {
            case BeamTreeNode::Kind::Beam:
                QVERIFY(trie.walk(path) != PrefixTrie::kNone);
                break;
            case BeamTreeNode::Kind::Pruned: QCOMPARE(trie.walk(path), PrefixTrie::kNone); break;
            case BeamTreeNode::Kind::Ended:
                path.push_back(1);
                QVERIFY(trie.itemAt(trie.walk(path)) >= 0);
                break;
            case BeamTreeNode::Kind::Root: QFAIL("a second root"); break;
            }
        }
        // Every recorded beam's parent slot is its parent node's slot.
        for (std::size_t s = 1; s < result.trace.size(); ++s)
            for (const TraceChoice &c : result.trace[s].chosen) {
                bool found = false;
                for (const BeamTreeNode &node : tree.nodes)
                    if (node.step == static_cast<int>(s) && node.token == c.token && node.logProb == c.logProb)
                        found = found || tree.nodes[static_cast<std::size_t>(node.parent)].slot == c.parent;
                QVERIFY(found);
            }
        // Every ranked item is a finished path of the tree.
        for (const RankedItem &r : result.ranked) {
            std::vector<std::int32_t> tokens(snapshot.items.tokens[static_cast<std::size_t>(r.item)].begin(),
                                             snapshot.items.tokens[static_cast<std::size_t>(r.item)].end());
            bool found = false;
            for (std::size_t n = 0; n < tree.nodes.size(); ++n)
                found = found || (tree.nodes[n].kind == BeamTreeNode::Kind::Ended && tree.pathTokens(static_cast<int>(n)) == tokens);
            QVERIFY(found);
        }
    }

    void snapshotDiffOfHandMadeSnapshots()
    {
        const Dataset d = handDataset();
        const IdSnapshot a = handSnapshot(1, {"rose oil cream", "blue soap", "green tea", "red lip"});
        const IdSnapshot b = handSnapshot(2, {"rose hand cream", "blue soap", "green tea mint", "lip red"});
        const IdDiff diff = diffSnapshots(d, a, b, std::numeric_limits<std::size_t>::max());
        QCOMPARE(diff.changed, std::size_t(3));
        QCOMPARE(diff.examples.size(), std::size_t(3));
        QCOMPARE(diff.examples[0].item, std::size_t(0));
        QCOMPARE(diff.examples[2].editWords, std::size_t(2));
        using K = WordChange::Kind;
        QCOMPARE(wordChanges("rose oil cream", "rose hand cream"),
                 (std::vector<WordChange>{{K::Kept, "rose"}, {K::Removed, "oil"}, {K::Added, "hand"}, {K::Kept, "cream"}}));
        QCOMPARE(wordChanges("green tea", "green tea mint"),
                 (std::vector<WordChange>{{K::Kept, "green"}, {K::Kept, "tea"}, {K::Added, "mint"}}));
        QCOMPARE(wordChanges("", "a"), (std::vector<WordChange>{{K::Added, "a"}}));

        auto comparison = std::make_shared<SnapshotComparison>();
        comparison->from.id = 1;
        comparison->to.id = 2;
        comparison->diff = diff;
        comparison->fromShape = snapshotShape(a);
        comparison->toShape = snapshotShape(b);
        SnapshotDiffModel model;
        model.setComparison(comparison);
        QCOMPARE(model.rowCount(), 3);
        const QString oldHtml = model.data(model.index(0, SnapshotDiffModel::OldId), kHtmlRole).toString();
        const QString newHtml = model.data(model.index(0, SnapshotDiffModel::NewId), kHtmlRole).toString();
        QVERIFY2(oldHtml.contains(QRegularExpression("<s[^>]*>oil</s>")) && !oldHtml.contains("hand"), qPrintable(oldHtml));
        QVERIFY2(newHtml.contains(QRegularExpression("<b[^>]*>hand</b>")) && !newHtml.contains("oil"), qPrintable(newHtml));
        QCOMPARE(model.data(model.index(1, SnapshotDiffModel::Item), Qt::DisplayRole).toString(), QString("c"));

        const SnapshotShape shape = comparison->fromShape;
        QCOMPARE(shape.tokenLengths, (std::map<std::size_t, std::size_t>{{2, 3}, {3, 1}}));
        QCOMPARE(shape.wordLengths, (std::map<std::size_t, std::size_t>{{2, 3}, {3, 1}}));
        QCOMPARE(shape.trieDepth, std::size_t(4));
        QCOMPARE(shape.trieNodesPerDepth, (std::vector<std::size_t>{1, 4, 4, 4, 1}));
        QCOMPARE(shape.trieBranchingPerDepth.front(), 4.0);
    }

    void roundsRowShowsEveryRound()
    {
        auto rounds = std::make_shared<RunRounds>();
        rounds->rounds = {0, 1, 2};
        rounds->snapshots = {4, 5, 6};
        rounds->rawIds = {"a", "b"};
        rounds->titles = {"A", "B"};
        rounds->ids = {{"rose oil", "blue soap"}, {"rose cream", "blue soap"}, {"rose cream", "soap"}};
        RunRoundsModel model;
        model.setRounds(rounds);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 6); // item, changes, title, three rounds
        QCOMPARE(model.changedItems(), 2);
        QCOMPARE(model.data(model.index(0, 1), Qt::DisplayRole).toInt(), 1);
        QCOMPARE(model.data(model.index(0, 4), Qt::DisplayRole).toString(), QString("rose cream"));
        QVERIFY(model.data(model.index(0, 4), kHtmlRole).toString().contains("cream</b>"));
        QVERIFY(!model.data(model.index(0, 5), kHtmlRole).isValid()); // unchanged since round 1
        QVERIFY(!model.data(model.index(1, 3), kHtmlRole).isValid()); // round 0 has nothing before it
        QCOMPARE(model.headerData(5, Qt::Horizontal, Qt::DisplayRole).toString(), QString("Round 2 (snapshot 6)"));
    }

    void idsViewSearchesAndCompares()
    {
        MainWindow window;
        QVERIFY(window.openProject(QString::fromStdString(m_project.string())));
        auto *ids = qobject_cast<IdsView *>(window.view("ids"));
        QVERIFY(ids);
        window.showView("ids");
        QTRY_VERIFY_WITH_TIMEOUT(!ids->isBusy() && ids->browser()->model()->catalog(), 30000);
        SnapshotBrowserModel *model = ids->browser()->model();
        QCOMPARE(model->rowCount(), 40);
        QCOMPARE(*ids->browser()->snapshot(), m_sequential); // the newest
        const QString id = model->data(model->index(7, SnapshotBrowserModel::Id), Qt::DisplayRole).toString();
        ids->browser()->search(id.toUpper());
        QVERIFY(model->rowCount() >= 1);
        bool hit = false;
        for (int r = 0; r < model->rowCount(); ++r)
            hit = hit || model->itemAt(r) == 7;
        QVERIFY(hit);
        QVERIFY(ids->browser()->lastSearchMs() < 100.0);
        ids->browser()->search("no such text anywhere");
        QCOMPARE(model->rowCount(), 0);
        // Compare: title IDs against sequential ones, every item changed.
        QTRY_VERIFY_WITH_TIMEOUT(!ids->isBusy() && ids->comparison()->model()->comparison(), 30000);
        QCOMPARE(ids->comparison()->model()->comparison()->from.id, m_title);
        QCOMPARE(ids->comparison()->model()->rowCount(), 40);
        QCOMPARE(ids->comparison()->histogram()->series().size(), std::size_t(2));
    }

    void beamsViewDecodesOnTheWorker()
    {
        MainWindow window;
        QVERIFY(window.openProject(QString::fromStdString(m_project.string())));
        auto *beams = qobject_cast<BeamsView *>(window.view("beams"));
        QVERIFY(beams);
        window.showView("beams");
        window.context()->setSnapshot(m_title);
        beams->setCheckpointFile(m_checkpoint);
        beams->userField()->setText(QString::fromStdString(m_user));
        beams->decode();
        QVERIFY(beams->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!beams->isBusy(), 60000);
        QVERIFY(beams->inspection());
        const BeamInspection &first = *beams->inspection();
        QCOMPARE(first.ranked.size(), std::size_t(10));
        QCOMPARE(beams->ranked()->rowCount(), 10);
        QVERIFY(!first.targetRawId.empty() && !first.targetIdText.empty());
        QVERIFY(first.tree.count(BeamTreeNode::Kind::Beam) > 0);
        QCOMPARE(beams->tree()->tree(), &beams->inspection()->tree);
        rankedItemsExportIsWhatTheTableShows(*beams);

        // A forced prefix: the first word of the best ID; every result starts with it.
        const std::string word = first.ranked.front().idText.substr(0, first.ranked.front().idText.find(' '));
        beams->prefixField()->setText(QString::fromStdString(word));
        beams->decode();
        QTRY_VERIFY_WITH_TIMEOUT(!beams->isBusy(), 60000);
        QVERIFY(!beams->inspection()->ranked.empty());
        for (const RankedItem &r : beams->inspection()->ranked)
            QVERIFY2(r.idText.rfind(word, 0) == 0, r.idText.c_str());
        // No trie: what the model writes; it need not be any item's ID.
        beams->prefixField()->clear();
        beams->constrainedBox()->setChecked(false);
        beams->decode();
        QTRY_VERIFY_WITH_TIMEOUT(!beams->isBusy(), 60000);
        QVERIFY(!beams->inspection()->ranked.empty());
        QCOMPARE(beams->inspection()->tree.count(BeamTreeNode::Kind::Pruned), std::size_t(0));
        // A prefix no ID has is refused, naming it.
        beams->constrainedBox()->setChecked(true);
        beams->prefixField()->setText("qqqzzz");
        const BeamInspection *before = beams->inspection();
        beams->decode();
        QTRY_VERIFY_WITH_TIMEOUT(!beams->isBusy(), 60000);
        QCOMPARE(beams->inspection(), before);
        // Every decoding above reused the model read by the first; a checkpoint rewritten since
        // (a newer modification time) is read again.
        QCOMPARE(beams->modelLoads(), 1);
        std::filesystem::last_write_time(m_checkpoint.toStdString(),
                                         std::filesystem::last_write_time(m_checkpoint.toStdString()) + std::chrono::seconds(2));
        beams->prefixField()->clear();
        beams->decode();
        QTRY_VERIFY_WITH_TIMEOUT(!beams->isBusy(), 60000);
        QCOMPARE(beams->modelLoads(), 2);
        QVERIFY(beams->inspection() != before);
    }

    void cliDecodesAHandWrittenHistory()
    {
        Database db(m_project, Database::Mode::OpenExisting);
        const Dataset dataset = DatasetRepository(db).load("demo");
        const test::CliResult decoded = test::runCli(
            {"decode", "--project", QString::fromStdString(m_project.string()), "--checkpoint", m_checkpoint, "--snapshot",
             QString::number(m_title), "--history",
             QString::fromStdString(dataset.itemRawIds[1] + "," + dataset.itemRawIds[2]), "--beams", "3", "--json"});
        QVERIFY2(decoded.code == 0, decoded.all().c_str());
        const auto json = nlohmann::json::parse(decoded.out);
        QCOMPARE(json["ranked"].size(), std::size_t(3));
        QVERIFY(json["target_rank"].is_null());
        const IdSnapshot snapshot = IdSnapshotRepository(db).load(m_title);
        QVERIFY(json["prompt"].get<std::string>().find(snapshot.items.texts[2]) != std::string::npos);
    }

    void screenshotCommandForBeamsAndIds()
    {
        {
            Database db(m_project, Database::Mode::OpenExisting);
            UserDecodeRequest request;
            request.checkpoint = m_checkpoint.toStdString();
            request.snapshot = m_title;
            request.userRawId = m_user;
            request.beams = 4;
            request.storeTrace = true;
            m_trace = *decodeUser(db, request).traceId;
        }
        for (const char *name : {"beams", "ids"}) {
            MainWindow window;
            window.resize(1100, 700);
            QVERIFY(window.openProject(QString::fromStdString(m_project.string())));
            window.show();
            const QString file = QString::fromStdString(m_scratch.path(std::string(name) + ".png").string());
            QString message;
            QCOMPARE(screenshot(window, name, {}, file, message), 0);
            QCOMPARE(window.currentViewName(), QString(name));
            const QImage image(file);
            QVERIFY(!image.isNull());
            if (QString(name) == "beams") {
                auto *beams = qobject_cast<BeamsView *>(window.view("beams"));
                QVERIFY(beams->inspection());
                QCOMPARE(beams->inspection()->traceId, std::optional<std::int64_t>(m_trace)); // the stored trace
                QCOMPARE(beams->inspection()->userRawId, m_user);
                QCOMPARE(beams->inspection()->ranked.size(), std::size_t(4));
            } else {
                auto *ids = qobject_cast<IdsView *>(window.view("ids"));
                QVERIFY(ids->comparison()->isVisible()); // two snapshots: the comparison
                QCOMPARE(ids->comparison()->model()->rowCount(), 40);
            }
        }
    }
};

QTEST_MAIN(TestBeamsIds)
#include "test_beams_ids.moc"
