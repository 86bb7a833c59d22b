#include "cli/DecodeCommands.h"

#include "cli/CliEvents.h"
#include "recommend/UserDecoding.h"
#include "store/Database.h"
#include "util/Error.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace idgen::cli {
namespace {

struct DecodeArgs {
    std::string project;
    UserDecodeRequest request;
    bool json = false;
};

nlohmann::json resultJson(const UserDecodeResult &r, const nlohmann::json &trace)
{
    nlohmann::json ranked = nlohmann::json::array();
    for (const auto &item : r.ranked)
        ranked.push_back({{"rank", item.rank}, {"item", item.item}, {"raw_id", item.rawId}, {"id", item.idText},
                          {"title", item.title}, {"score", item.score}, {"log_prob", item.logProb}});
    nlohmann::json out = {{"user", r.userRawId},
                          {"user_id", r.userIdText},
                          {"prompt", r.prompt},
                          {"prompt_tokens", r.promptTokens},
                          {"target", r.targetRawId},
                          {"target_rank", r.targetRank ? nlohmann::json(*r.targetRank) : nlohmann::json()},
                          {"ranked", ranked},
                          {"seconds", r.seconds}};
    if (!trace.is_null())
        out["trace"] = trace;
    if (r.traceId)
        out["trace_id"] = *r.traceId;
    return out;
}

void printTrace(const nlohmann::json &trace)
{
    for (const auto &step : trace) {
        std::cout << "  step " << step["step"].get<int>() << "\n";
        for (const auto &c : step["chosen"]) {
            const int slot = c["slot"].get<int>();
            std::cout << "    " << (slot < 0 ? std::string("end") : "beam " + std::to_string(slot)) << " <- "
                      << (c["parent"].get<int>() < 0 ? std::string("start") : "beam " + std::to_string(c["parent"].get<int>()))
                      << "  '" << c["piece"].get<std::string>() << "'  " << fixed(c["log_prob"].get<double>(), 3) << "\n";
        }
        for (const auto &p : step["pruned"])
            std::cout << "    pruned at " << (p["parent"].get<int>() < 0 ? std::string("start") : "beam " + std::to_string(p["parent"].get<int>()))
                      << "  '" << p["piece"].get<std::string>() << "'  " << fixed(p["log_prob"].get<double>(), 3) << "\n";
    }
}

void runDecode(const DecodeArgs &args)
{
    Database db(args.project, Database::Mode::OpenExisting);
    const UserDecodeResult r = decodeUser(db, args.request);
    const nlohmann::json trace = args.request.trace ? r.traceJson : nlohmann::json();
    if (args.json) {
        printJson(resultJson(r, trace));
        return;
    }
    if (!r.userRawId.empty())
        std::cout << "user " << r.userRawId << (r.userIdText.empty() ? "" : " (\"" + r.userIdText + "\")") << "\n";
    std::cout << "prompt (" << r.promptTokens << " tokens): " << r.prompt << "\n";
    for (const auto &item : r.ranked)
        std::cout << "  " << item.rank << ". " << (item.item < 0 ? std::string("(no item)") : item.rawId) << "  \""
                  << item.idText << "\"  score " << fixed(item.score, 4) << (item.title.empty() ? "" : "  " + item.title)
                  << (!r.targetRawId.empty() && item.rawId == r.targetRawId ? "   <- the test item" : "") << "\n";
    if (!r.targetRawId.empty())
        std::cout << "test item " << r.targetRawId << ": "
                  << (r.targetRank ? "rank " + std::to_string(*r.targetRank) : std::string("not among the results")) << "\n";
    if (!trace.is_null())
        printTrace(trace);
    if (r.traceId)
        std::cout << "trace stored in the project (decode_traces id " << *r.traceId << ")\n";
    std::cout << "decoded in " << fixed(r.seconds, 2) << " s\n";
}

} // namespace

void addDecodeCommands(CLI::App &app)
{
    auto args = std::make_shared<DecodeArgs>();
    auto *decode = app.add_subcommand("decode", "Recommend for one user: constrained beam search over a snapshot's item IDs");
    UserDecodeRequest &r = args->request;
    decode->add_option("--project", args->project, "Project file")->required();
    decode->add_option("--checkpoint", r.checkpoint, "Recommender checkpoint (idgenrec model init makes a fresh one)")
        ->required();
    decode->add_option("--snapshot", r.snapshot, "ID snapshot (idgenrec ids list)")->required();
    auto *user = decode->add_option("--user", r.userRawId, "The user's raw id");
    decode->add_option("--history", r.historyRawIds, "Instead of a user: items' raw ids, oldest first (comma-separated)")
        ->delimiter(',')
        ->excludes(user);
    decode->add_option("--prefix", r.forcedPrefix, "ID words every result must start with");
    decode->add_flag_function("--unconstrained", [&r](std::int64_t) { r.constrained = false; },
                     "No trie: what the model would write (texts that are no item's ID are listed too)");
    decode->add_option("--beams", r.beams, "Beams")->check(CLI::PositiveNumber)->capture_default_str();
    decode->add_option("--top", r.topK, "Items to list (default: beams)")->check(CLI::PositiveNumber);
    decode->add_option("--device", r.device, "cpu, cuda or cuda:N")->capture_default_str();
    decode->add_flag("--trace", r.trace, "Show every step: beams, tokens, scores, what the trie pruned");
    decode->add_flag("--store-trace", r.storeTrace, "Keep the trace in the project file (table decode_traces)");
    decode->add_flag("--json", args->json, "Print JSON");
    decode->callback([args] {
        if (args->request.userRawId.empty() && args->request.historyRawIds.empty())
            throw Error("decode needs --user RAW_ID or --history RAW_ID,...");
        runDecode(*args);
    });
}

} // namespace idgen::cli
