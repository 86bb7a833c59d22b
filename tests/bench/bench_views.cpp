// The beam inspector's and the IDs view's speed goals (issue 11), measured with the widgets and
// models the window uses, offscreen:
//   build/bin/bench_views tree [beams=20] [steps=10] [pruned=5]
//       a synthetic trace of `beams` beams over `steps` steps with `pruned` pruned alternatives
//       per beam and step: the tree built and laid out, the widget redrawn whole, and a 1600 x 900
//       viewport redrawn as the window scrolls over it (goal < 100 ms)
//   build/bin/bench_views search PROJECT SNAPSHOT
//       the snapshot read as the IDs view reads it, then searches by ID, text and raw id over all
//       its items (goal on Beauty's 12k items: < 100 ms per search)
#include "models/SnapshotCatalog.h"
#include "recommend/BeamTree.h"
#include "store/Database.h"
#include "util/Clock.h"
#include "widgets/BeamTreeWidget.h"

#include <QApplication>
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
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "usage: bench_views tree [beams] [steps] [pruned] | search PROJECT SNAPSHOT\n");
    return 2;
}
