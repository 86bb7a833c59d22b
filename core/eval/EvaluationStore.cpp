#include "eval/EvaluationStore.h"

#include "store/Database.h"
#include "store/Statement.h"
#include "util/Clock.h"

#include <filesystem>

namespace idgen {

nlohmann::json EvaluationRecord::toJson() const
{
    return {{"id", id},         {"snapshot", snapshot}, {"checkpoint", checkpoint}, {"split", split},
            {"beams", beams},   {"users", users},       {"metrics", metrics},       {"seconds", seconds},
            {"device", device}, {"created_at", createdAt}};
}

std::int64_t storeEvaluation(const Database &db, const EvaluationRequest &request, const EvaluationResult &result)
{
    nlohmann::json ranks = nlohmann::json::array();
    for (std::size_t i = 0; i < result.users.size(); ++i)
        ranks.push_back({result.users[i], result.targetRanks[i]});
    nlohmann::json options = {{"max_history", request.maxHistory}, {"max_prompt_tokens", request.maxPromptTokens},
                              {"length_penalty", request.lengthPenalty}, {"bf16", request.bf16},
                              {"max_users", request.maxUsers}, {"unseen_prompt", request.unseenPrompt}};
    if (request.run)
        options["run"] = *request.run;
    auto insert = db.prepare("INSERT INTO evaluations (snapshot_id, checkpoint, split, beams, users, metrics, "
                                  "seconds, device, options, user_ranks, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, request.snapshot)
        .bind(2, std::filesystem::absolute(request.checkpoint).string())
        .bind(3, std::string(splitName(request.split)))
        .bind(4, request.beams)
        .bind(5, static_cast<std::int64_t>(result.users.size()))
        .bind(6, result.metrics.toJson().dump())
        .bind(7, result.decodeSeconds)
        .bind(8, request.device)
        .bind(9, options.dump())
        .bind(10, ranks.dump())
        .bind(11, nowIso8601());
    insert.step();
    return db.lastInsertId();
}

std::vector<EvaluationRecord> listEvaluations(const Database &db, std::int64_t snapshot)
{
    auto select = db.prepare("SELECT id, snapshot_id, checkpoint, split, beams, users, metrics, seconds, device, "
                                  "created_at FROM evaluations WHERE ? = 0 OR snapshot_id = ? ORDER BY id");
    select.bind(1, snapshot).bind(2, snapshot);
    std::vector<EvaluationRecord> records;
    while (select.step()) {
        EvaluationRecord r;
        r.id = select.integer(0);
        r.snapshot = select.integer(1);
        r.checkpoint = select.text(2);
        r.split = select.text(3);
        r.beams = static_cast<int>(select.integer(4));
        r.users = select.integer(5);
        r.metrics = nlohmann::json::parse(select.text(6));
        r.seconds = select.real(7);
        r.device = select.text(8);
        r.createdAt = select.text(9);
        records.push_back(std::move(r));
    }
    return records;
}

} // namespace idgen
