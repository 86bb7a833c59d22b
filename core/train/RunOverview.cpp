#include "train/RunOverview.h"

#include "eval/EvaluationStore.h"
#include "ids/IdSnapshotRepository.h"
#include "train/AlternateConfig.h"
#include "train/RecommenderConfig.h"
#include "train/RunRepository.h"
#include "train/baselines/SasRecConfig.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

namespace idgen {
namespace {

std::string text(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

std::string modelText(const RecommenderConfig &config)
{
    std::string model = config.model;
    if (config.dModel > 0 || config.layers > 0) {
        model += " (";
        if (config.dModel > 0)
            model += "d " + std::to_string(config.dModel) + (config.layers > 0 ? ", " : "");
        if (config.layers > 0)
            model += std::to_string(config.layers) + " layers";
        model += ")";
    }
    return model;
}

// The validation points grouped by (round, epoch), in training order.
std::vector<std::tuple<int, int, nlohmann::json>> validations(const RunRepository &runs, std::int64_t run)
{
    std::map<std::pair<int, int>, nlohmann::json> byEpoch;
    for (const char *name : {"hr@5", "hr@10", "hr@20", "ndcg@5", "ndcg@10", "ndcg@20"}) {
        for (const MetricPoint &point : runs.metrics(run, name)) {
            if (point.split == "valid")
                byEpoch[{point.round, point.epoch}][name] = point.value; // a resumed run's repeat wins
        }
    }
    std::vector<std::tuple<int, int, nlohmann::json>> out;
    for (auto &[key, metrics] : byEpoch)
        out.emplace_back(key.first, key.second, std::move(metrics));
    return out;
}

// The trainer's own choice of "best": HR@10, NDCG@10 breaking ties.
double score(const nlohmann::json &metrics)
{
    return metrics.value("hr@10", 0.0) + 1e-3 * metrics.value("ndcg@10", 0.0);
}

RunOverview overviewOf(const RunRepository &runs, const RunRecord &run)
{
    RunOverview row;
    row.run = run.id;
    row.kind = run.kind;
    row.name = run.name;
    row.status = run.status;
    row.device = run.device;
    row.startedAt = run.startedAt;
    row.snapshot = run.snapshot;
    row.config = runConfigValues(run);
    const auto valid = validations(runs, run.id);
    double best = -1.0;
    for (const auto &[round, epoch, metrics] : valid) {
        if (score(metrics) > best) {
            best = score(metrics);
            row.bestValid = metrics;
            row.bestRound = round;
            row.bestEpoch = epoch;
        }
    }
    if (!valid.empty())
        row.lastValid = std::get<2>(valid.back());
    // Baselines without epochs (pop, markov) report validation in their summary only.
    const nlohmann::json summaryValid = run.summary.value("valid", nlohmann::json::object()).value("metrics", nlohmann::json::object());
    if (valid.empty() && !summaryValid.empty()) {
        row.bestValid = summaryValid;
        row.lastValid = summaryValid;
    }
    row.test = run.summary.value("test", nlohmann::json::object()).value("metrics", nlohmann::json::object());
    const auto losses = runs.metrics(run.id, "loss");
    std::set<std::pair<int, std::int64_t>> steps;
    for (const MetricPoint &point : losses)
        steps.insert({point.round, point.step});
    row.steps = static_cast<std::int64_t>(steps.size());
    return row;
}

} // namespace

const std::vector<std::string> &runConfigColumns()
{
    static const std::vector<std::string> columns{"model", "epochs", "batch", "lr", "seed", "rounds"};
    return columns;
}

std::vector<std::pair<std::string, std::string>> runConfigValues(const RunRecord &run)
{
    std::map<std::string, std::string> values;
    try {
        if (run.kind == "recommender" || run.kind == "alternate") {
            const std::string origin = "run " + std::to_string(run.id) + "'s config";
            const AlternateConfig alternate =
                run.kind == "alternate" ? AlternateConfig::parse(run.config, run.name, origin) : AlternateConfig{};
            const RecommenderConfig config =
                run.kind == "alternate" ? alternate.recommender : RecommenderConfig::parse(run.config, run.name, origin);
            values = {{"model", modelText(config)},
                      {"epochs", std::to_string(run.kind == "alternate" ? alternate.recommenderEpochs : config.epochs)},
                      {"batch", std::to_string(config.batch)},
                      {"lr", text(config.learningRate)},
                      {"seed", std::to_string(config.seed)}};
            if (run.kind == "alternate")
                values["rounds"] = std::to_string(alternate.rounds);
        } else if (run.kind == "baseline") {
            values["model"] = run.name;
            if (run.name.rfind("sasrec", 0) == 0 && !run.config.empty()) {
                const SasRecConfig config = SasRecConfig::parse(run.config, "run " + std::to_string(run.id) + "'s config");
                values["epochs"] = std::to_string(config.epochs);
                values["batch"] = std::to_string(config.batch);
                values["lr"] = text(config.learningRate);
                values["seed"] = std::to_string(config.seed);
            }
        }
    } catch (const std::exception &) {
        // A config an older or newer build wrote: the run still shows, without these columns.
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string &column : runConfigColumns())
        out.emplace_back(column, values.count(column) ? values[column] : std::string());
    return out;
}

std::vector<RunOverview> runOverviews(const Database &db, const std::string &dataset)
{
    const RunRepository runs(db);
    std::vector<RunOverview> out;
    std::set<std::int64_t> madeByRuns;
    for (const RunRecord &run : runs.list(dataset)) {
        out.push_back(overviewOf(runs, run));
        const auto test = run.summary.value("test", nlohmann::json::object());
        if (test.contains("evaluation") && test["evaluation"].is_number_integer())
            madeByRuns.insert(test["evaluation"].get<std::int64_t>());
    }
    for (const IdSnapshotInfo &snapshot : IdSnapshotRepository(db).list(dataset)) {
        for (const EvaluationRecord &evaluation : listEvaluations(db, snapshot.id)) {
            if (madeByRuns.count(evaluation.id))
                continue;
            RunOverview row;
            row.evaluation = evaluation.id;
            row.kind = "evaluation";
            row.name = std::filesystem::path(evaluation.checkpoint).filename().string();
            row.status = "done";
            row.device = evaluation.device;
            row.startedAt = evaluation.createdAt;
            row.snapshot = evaluation.snapshot;
            for (const std::string &column : runConfigColumns())
                row.config.emplace_back(column, std::string());
            (evaluation.split == "test" ? row.test : row.bestValid) = evaluation.metrics;
            if (evaluation.split == "valid")
                row.lastValid = evaluation.metrics;
            out.push_back(std::move(row));
        }
    }
    return out;
}

std::vector<MetricPoint> curvePoints(const Database &db, std::int64_t run, const std::string &name)
{
    std::vector<MetricPoint> points = RunRepository(db).metrics(run, name); // in recording order
    // Keep the last recording of each point: a resumed run repeats the steps after its checkpoint.
    std::map<std::tuple<std::string, int, std::int64_t, int>, std::size_t> latest;
    for (std::size_t i = 0; i < points.size(); ++i)
        latest[{points[i].split, points[i].round, points[i].step, points[i].epoch}] = i;
    std::vector<MetricPoint> out;
    out.reserve(latest.size());
    for (const auto &[key, index] : latest)
        out.push_back(points[index]);
    std::stable_sort(out.begin(), out.end(), [](const MetricPoint &a, const MetricPoint &b) {
        return std::tie(a.round, a.step, a.epoch) < std::tie(b.round, b.step, b.epoch);
    });
    return out;
}

} // namespace idgen
