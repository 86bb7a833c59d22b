// The beam inspector's and the IDs view's speed goals (issue 11), measured with the widgets and
// models the window uses, offscreen:
//   build/bin/bench_views tree [beams=20] [steps=10] [pruned=5]
//       a synthetic trace of `beams` beams over `steps` steps with `pruned` pruned alternatives
//       per beam and step: the tree built and laid out, the widget redrawn whole, and a 1600 x 900
//       viewport redrawn as the window scrolls over it (goal < 100 ms)
//   build/bin/bench_views search PROJECT SNAPSHOT
//       the snapshot read as the IDs view reads it, then searches by ID, text and raw id over all
//       its items (goal on Beauty's 12k items: < 100 ms per search)
//   build/bin/bench_views decode PROJECT CHECKPOINT SNAPSHOT USER [beams=20]
//       the beam inspector's decoding of one user, as its worker runs it: without the model cache
//       (model, IDs, dataset, tokenizer and trie read every time, as before), then with it (the
//       first decoding reads them, "decode again" reuses them), three times each
//   build/bin/bench_views open [PROJECT] [snapshots=20]
//       the window opening a project with Beauty and `snapshots` ID snapshots (goal: < 1 s): the
//       time the window's thread spends in openProject, then until every view shows its content
//       (background reads included), three times. A PROJECT that does not exist (default:
//       beauty-snapshots.idgenrec in the temporary folder) is made first from the shared Beauty
//       files (import, a 2,000-piece tokenizer, cheap `sequential` snapshots); without the shared
//       files the benchmark says so and skips.
#include "MainWindow.h"
#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "jobs/ImportJob.h"
#include "models/SnapshotCatalog.h"
#include "recommend/BeamInspection.h"
#include "recommend/RecommenderCache.h"
#include "text/TokenizerJob.h"
#include "views/ContextView.h"
#include "recommend/BeamTree.h"
#include "store/Database.h"
#include "util/Clock.h"
#include "widgets/BeamTreeWidget.h"

#include <QApplication>
#include <QDir>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <random>

namespace {

nlohmann::json syntheticTrace(int beams, int steps, int pruned)
{
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> token(3, 8000);
    std::uniform_int_distribution<int> parent(0, beams - 1);
    nlohmann::json trace = nlohmann::json::array();
    double base = 0.0;
    for (int s = 0; s < steps; ++s) {
        nlohmann::json chosen = nlohmann::json::array();
        nlohmann::json cut = nlohmann::json::array();
        for (int b = 0; b < beams; ++b) {
            const int t = token(rng);
            chosen.push_back({{"slot", b}, {"parent", s == 0 ? -1 : parent(rng)}, {"token", t},
                              {"piece", "\xE2\x96\x81w" + std::to_string(t)}, {"log_prob", base - 0.1 * b}, {"group", 0}});
            if (s > 0 && b % 3 == 0) // some hypotheses end along the way
                chosen.push_back({{"slot", -1}, {"parent", b}, {"token", 1}, {"piece", "</s>"}, {"log_prob", base - 0.2 * b}, {"group", 0}});
        }
        for (int b = 0; b < (s == 0 ? 1 : beams); ++b)
            for (int p = 0; p < pruned; ++p)
                cut.push_back({{"parent", s == 0 ? -1 : b}, {"token", token(rng)}, {"piece", "x" + std::to_string(p)},
                               {"log_prob", base - 0.05 * p}});
        trace.push_back({{"step", s}, {"chosen", chosen}, {"pruned", cut}});
        base -= 0.7;
    }
    return trace;
}

int benchTree(int beams, int steps, int pruned)
{
    const nlohmann::json trace = syntheticTrace(beams, steps, pruned);
    idgen::Stopwatch build;
    auto tree = std::make_shared<const idgen::BeamTree>(idgen::beamTreeFromTrace(trace));
    const double buildMs = build.seconds() * 1000.0;
    idgen::ui::BeamTreeWidget widget;
    idgen::Stopwatch layout;
    widget.setTree(tree);
    const double layoutMs = layout.seconds() * 1000.0;
    const QSize size = widget.sizeHint();
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    constexpr int kRounds = 20;
    double worst = 0.0;
    double total = 0.0;
    for (int r = 0; r < kRounds; ++r) {
        idgen::Stopwatch draw;
        widget.render(&image);
        const double ms = draw.seconds() * 1000.0;
        worst = std::max(worst, ms);
        total += ms;
    }
    // What the window repaints: a 1600 x 900 viewport, scrolled over the whole tree.
    QImage viewport(1600, 900, QImage::Format_ARGB32_Premultiplied);
    double viewWorst = 0.0;
    double viewTotal = 0.0;
    int views = 0;
    for (int y = 0; y < size.height(); y += 450, ++views) {
        idgen::Stopwatch draw;
        widget.render(&viewport, QPoint(), QRegion(0, y, 1600, 900));
        const double ms = draw.seconds() * 1000.0;
        viewWorst = std::max(viewWorst, ms);
        viewTotal += ms;
    }
    std::printf("{\"beams\": %d, \"steps\": %d, \"pruned_per_beam\": %d, \"nodes\": %zu, \"pixels\": \"%dx%d\", "
                "\"build_ms\": %.2f, \"layout_ms\": %.2f, \"whole_tree_redraw_mean_ms\": %.2f, "
                "\"whole_tree_redraw_max_ms\": %.2f, \"viewport_redraw_mean_ms\": %.2f, \"viewport_redraw_max_ms\": %.2f}\n",
                beams, steps, pruned, tree->nodes.size(), size.width(), size.height(), buildMs, layoutMs,
                total / kRounds, worst, viewTotal / std::max(1, views), viewWorst);
    return 0;
}

int benchSearch(const char *project, std::int64_t snapshot)
{
    const idgen::Database db(project, idgen::Database::Mode::OpenExisting);
    idgen::Stopwatch load;
    const auto catalog = idgen::ui::loadSnapshotCatalog(db, snapshot);
    const double loadMs = load.seconds() * 1000.0;
    using Scope = idgen::ui::SnapshotCatalog::Scope;
    const QString someId = catalog->ids[catalog->size() / 2];
    const std::vector<std::pair<QString, Scope>> queries{
        {QStringLiteral("shampoo"), Scope::Any},   {QStringLiteral("e"), Scope::Any},
        {QStringLiteral("zzzzzz"), Scope::Any},    {someId, Scope::Id},
        {QStringLiteral("nail polish"), Scope::Text}, {catalog->rawIds[7], Scope::RawId}};
    double worst = 0.0;
    std::printf("{\"items\": %zu, \"load_ms\": %.1f, \"searches\": [", catalog->size(), loadMs);
    for (std::size_t q = 0; q < queries.size(); ++q) {
        idgen::Stopwatch search;
        const auto rows = catalog->search(queries[q].first, queries[q].second);
        const double ms = search.seconds() * 1000.0;
        worst = std::max(worst, ms);
        std::printf("%s{\"query\": \"%s\", \"hits\": %zu, \"ms\": %.2f}", q ? ", " : "",
                    queries[q].first.toStdString().c_str(), rows.size(), ms);
    }
    std::printf("], \"max_ms\": %.2f}\n", worst);
    return 0;
}

int benchDecode(const char *project, const char *checkpoint, std::int64_t snapshot, const char *user, int beams)
{
    const idgen::Database db(project, idgen::Database::Mode::OpenExisting);
    idgen::UserDecodeRequest request;
    request.checkpoint = checkpoint;
    request.snapshot = snapshot;
    request.userRawId = user;
    request.beams = beams;
    idgen::RecommenderCache cache;
    std::printf("{\"beams\": %d, ", beams);
    for (const bool cached : {false, true}) {
        std::printf("\"%s\": [", cached ? "cached" : "uncached");
        for (int round = 0; round < 4; ++round) {
            const idgen::Stopwatch clock;
            const idgen::BeamInspection inspection = idgen::inspectDecoding(db, request, cached ? &cache : nullptr);
            std::printf("%s%.1f", round ? ", " : "", clock.seconds() * 1000.0);
            std::fflush(stdout);
            (void)inspection;
        }
        std::printf("]%s", cached ? "" : ", ");
    }
    std::printf(", \"unit\": \"ms per decoding\", \"model_loads_cached\": %d}\n", cache.modelLoads());
    return 0;
}

// Beauty with `snapshots` sequential ID snapshots; false when the shared files are missing.
bool prepareBeautyProject(const std::filesystem::path &path, int snapshots)
{
    const std::filesystem::path beauty = std::filesystem::path(IDGEN_SHARED_DATASETS) / "beauty";
    const idgen::Database db(path);
    idgen::JobEvents quiet;
    if (idgen::DatasetRepository(db).list().empty()) {
        if (!std::filesystem::exists(beauty / "user_sequence.txt")) {
            std::printf("{\"skipped\": \"the shared Beauty files are not at %s\"}\n", beauty.string().c_str());
            return false;
        }
        std::fprintf(stderr, "importing Beauty into %s\n", path.string().c_str());
        idgen::ImportOptions import;
        import.name = "beauty";
        import.sources.interactions = beauty / "user_sequence.txt";
        import.sources.items = beauty / "Amazon_Beauty.item";
        idgen::runImport(db, import, quiet);
        idgen::TokenizerOptions tokenizer;
        tokenizer.vocabSize = 2000;
        idgen::trainDatasetTokenizer(db, "beauty", "default", tokenizer, quiet);
    }
    idgen::IdAssignmentOptions ids;
    ids.dataset = "beauty";
    ids.scheme = "sequential";
    for (auto have = idgen::IdSnapshotRepository(db).list("beauty").size(); static_cast<int>(have) < snapshots; ++have) {
        std::fprintf(stderr, "snapshot %zu of %d\n", have + 1, snapshots);
        ids.name = "sequential " + std::to_string(have + 1);
        idgen::assignIds(db, ids, quiet);
    }
    return true;
}

int benchOpen(const std::filesystem::path &path, int snapshots)
{
    if (!prepareBeautyProject(path, snapshots))
        return 0;
    QStandardPaths::setTestModeEnabled(true); // the window's settings go to a test folder
    const QString project = QString::fromStdString(path.string());
    std::printf("{\"project\": \"%s\", \"snapshots\": %zu, \"runs\": [", path.string().c_str(),
                idgen::IdSnapshotRepository(idgen::Database(path, idgen::Database::Mode::OpenExisting)).list("beauty").size());
    double worstReady = 0.0;
    for (int round = 0; round < 3; ++round) {
        idgen::ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QTest::qWait(50);
        const idgen::Stopwatch clock;
        if (!window.openProject(project))
            return 1;
        const double openMs = clock.seconds() * 1000.0;
        // Every view (the current tab and the others) has its content once none reads any more.
        const auto busy = [&window] {
            for (int t = 0; t < window.tabs()->count(); ++t)
                if (const auto *view = qobject_cast<const idgen::ui::ContextView *>(window.tabs()->widget(t)); view && view->isBusy())
                    return true;
            return false;
        };
        QCoreApplication::processEvents();
        while (busy() && clock.seconds() < 60.0)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        const double readyMs = clock.seconds() * 1000.0;
        worstReady = std::max(worstReady, readyMs);
        std::printf("%s{\"open_ms\": %.1f, \"ready_ms\": %.1f}", round ? ", " : "", openMs, readyMs);
        std::fflush(stdout);
    }
    std::printf("], \"worst_ready_ms\": %.1f}\n", worstReady);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const std::string mode = argc > 1 ? argv[1] : "tree";
    try {
        if (mode == "tree")
            return benchTree(argc > 2 ? std::atoi(argv[2]) : 20, argc > 3 ? std::atoi(argv[3]) : 10,
                             argc > 4 ? std::atoi(argv[4]) : 5);
        if (mode == "search" && argc > 3)
            return benchSearch(argv[2], std::atoll(argv[3]));
        if (mode == "decode" && argc > 5)
            return benchDecode(argv[2], argv[3], std::atoll(argv[4]), argv[5], argc > 6 ? std::atoi(argv[6]) : 20);
        if (mode == "open")
            return benchOpen(argc > 2 ? std::filesystem::path(argv[2])
                                      : std::filesystem::path(QDir::tempPath().toStdString()) / "beauty-snapshots.idgenrec",
                             argc > 3 ? std::atoi(argv[3]) : 20);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "usage: bench_views tree [beams] [steps] [pruned] | search PROJECT SNAPSHOT | decode PROJECT CHECKPOINT SNAPSHOT USER [beams] | open [PROJECT] [snapshots]\n");
    return 2;
}
