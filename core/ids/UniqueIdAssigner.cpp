#include "ids/UniqueIdAssigner.h"

#include "ids/IdText.h"
#include "ids/UsedIds.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace idgen {
namespace {

// Penalties are sums of steps: compare with a tolerance so that 0.1 + ... + 0.1 reaches 1.0.
constexpr double kPenaltyTolerance = 1e-9;
// More tries per length than this is a typo in the options, not a search strategy.
constexpr double kMaxPenaltySteps = 1000.0;

} // namespace

nlohmann::json UniqueIdOptions::toJson() const
{
    return {{"batch_size", batchSize},
            {"initial_penalty", initialPenalty},
            {"penalty_step", penaltyStep},
            {"max_penalty", maxPenalty},
            {"initial_min_length", initialMinLength},
            {"length_span", lengthSpan},
            {"length_step", lengthStep},
            {"max_length_escalations", maxLengthEscalations}};
}

UniqueIdOptions UniqueIdOptions::fromJson(const nlohmann::json &json)
{
    UniqueIdOptions options;
    if (!json.is_object())
        return options;
    options.batchSize = json.value("batch_size", options.batchSize);
    options.initialPenalty = json.value("initial_penalty", options.initialPenalty);
    options.penaltyStep = json.value("penalty_step", options.penaltyStep);
    options.maxPenalty = json.value("max_penalty", options.maxPenalty);
    options.initialMinLength = json.value("initial_min_length", options.initialMinLength);
    options.lengthSpan = json.value("length_span", options.lengthSpan);
    options.lengthStep = json.value("length_step", options.lengthStep);
    options.maxLengthEscalations = json.value("max_length_escalations", options.maxLengthEscalations);
    return options;
}

void UniqueIdOptions::validate() const
{
    if (batchSize == 0)
        throw Error("unique ID assignment: batch size must be at least 1");
    if (!(penaltyStep > 0.0) || !std::isfinite(penaltyStep))
        throw Error("unique ID assignment: penalty step " + std::to_string(penaltyStep) + " must be positive");
    if (!(maxPenalty > initialPenalty) || !std::isfinite(maxPenalty) || !std::isfinite(initialPenalty))
        throw Error("unique ID assignment: max penalty " + std::to_string(maxPenalty) +
                    " must exceed the initial penalty " + std::to_string(initialPenalty));
    if ((maxPenalty - initialPenalty) / penaltyStep > kMaxPenaltySteps)
        throw Error("unique ID assignment: more than " + std::to_string(static_cast<int>(kMaxPenaltySteps)) +
                    " penalty steps per length; take a larger step");
    if (initialMinLength < 0 || lengthSpan < 0)
        throw Error("unique ID assignment: lengths must not be negative");
    if (lengthStep < 1)
        throw Error("unique ID assignment: length step must be at least 1");
    if (maxLengthEscalations < 0)
        throw Error("unique ID assignment: max length escalations must not be negative");
}

CandidateSettings UniqueIdOptions::initialSettings() const
{
    return {initialPenalty, initialMinLength, initialMinLength + lengthSpan};
}

CandidateSettings UniqueIdOptions::escalate(const CandidateSettings &settings, bool &lengthEscalated) const
{
    CandidateSettings next = settings;
    next.diversityPenalty += penaltyStep;
    lengthEscalated = next.diversityPenalty >= maxPenalty - kPenaltyTolerance;
    if (lengthEscalated) {
        next.diversityPenalty = initialPenalty;
        next.minLength += lengthStep;
        next.maxLength = next.minLength + lengthSpan;
    }
    return next;
}

UniqueIdAssigner::UniqueIdAssigner(const Tokenizer &tokenizer, UniqueIdOptions options)
    : m_tokenizer(tokenizer)
    , m_options(std::move(options))
{
    m_options.validate();
}

IdTable UniqueIdAssigner::assign(IdCandidateSource &source, std::size_t count, const std::string &baseWord,
                                 const std::string &order, JobEvents &events, StopToken stop) const
{
    const auto started = std::chrono::steady_clock::now();
    IdTable table;
    table.texts.resize(count);
    table.tokens.resize(count);
    IdStats &stats = table.stats;
    UsedIds used(m_tokenizer);
    const std::string stage = "assigning " + baseWord + " IDs";

    for (std::size_t begin = 0; begin < count; begin += m_options.batchSize) {
        const std::size_t end = std::min(count, begin + m_options.batchSize);
        std::vector<std::size_t> pending(end - begin);
        for (std::size_t i = 0; i < pending.size(); ++i)
            pending[i] = begin + i;
        // The first non-empty candidate an entity was ever offered: the stem of its fallback.
        std::vector<std::string> best(end - begin);
        auto give = [&](std::size_t entity, NormalizedId id) {
            table.texts[entity] = std::move(id.text);
            table.tokens[entity] = std::move(id.tokens);
        };
        auto fallBack = [&](const std::vector<std::size_t> &entities) {
            for (const std::size_t entity : entities) {
                give(entity, used.takeWithSuffix(best[entity - begin], baseWord));
                ++stats.fallbacks;
                ++stats.collisionsResolved;
            }
        };

        CandidateSettings settings = m_options.initialSettings();
        int lengthEscalations = 0;
        bool firstTry = true;
        while (!pending.empty()) {
            if (stop.stopRequested())
                throw Cancelled();
            const auto lists = source.generate(pending, settings);
            if (lists.size() != pending.size())
                throw Error("ID candidate source returned " + std::to_string(lists.size()) + " candidate lists for " +
                            std::to_string(pending.size()) + " " + baseWord + "s");
            std::vector<std::size_t> left;
            for (std::size_t k = 0; k < pending.size(); ++k) {
                const std::size_t entity = pending[k];
                bool taken = false;
                for (std::size_t position = 0; position < lists[k].size() && !taken; ++position) {
                    NormalizedId id = normalizeIdFromTokens(m_tokenizer, lists[k][position]);
                    if (id.empty()) {
                        ++stats.emptyCandidates;
                        continue;
                    }
                    if (best[entity - begin].empty())
                        best[entity - begin] = id.text;
                    if (used.take(id)) {
                        if (!firstTry || position > 0)
                            ++stats.collisionsResolved;
                        give(entity, std::move(id));
                        taken = true;
                    }
                }
                if (!taken)
                    left.push_back(entity);
            }
            if (left.empty())
                break;
            if (!source.escalates()) {
                fallBack(left);
                break;
            }
            bool lengthEscalated = false;
            settings = m_options.escalate(settings, lengthEscalated);
            if (lengthEscalated && ++lengthEscalations > m_options.maxLengthEscalations) {
                fallBack(left);
                break;
            }
            ++stats.escalations;
            if (lengthEscalated)
                ++stats.lengthEscalations;
            if (firstTry)
                stats.escalatedEntities += left.size();
            firstTry = false;
            pending = std::move(left);
        }
        events.progress(static_cast<double>(end) / static_cast<double>(count), stage);
    }

    table.computeShapeStats();
    stats.order = order;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return table;
}

} // namespace idgen
