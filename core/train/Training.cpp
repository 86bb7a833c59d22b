#include "train/Training.h"

#include "train/AlternateConfig.h"
#include "train/AlternateTraining.h"
#include "train/BuiltinConfigs.h"
#include "train/RunRepository.h"
#include "util/Error.h"

namespace idgen {

std::int64_t startTraining(const Database &db, const TrainRequest &request, JobEvents &events,
                           const TrainingControl &control)
{
    const ConfigSource source = resolveConfig(request.config);
    if (AlternateConfig::isAlternate(source.text, source.origin))
        return trainAlternate(db, request, events, control);
    return trainRecommender(db, request, events, control);
}

void resumeTraining(const Database &db, std::int64_t run, JobEvents &events, const TrainingControl &control)
{
    const std::string kind = RunRepository(db).load(run).kind;
    if (kind == "alternate")
        resumeAlternate(db, run, events, control);
    else if (kind == "recommender")
        resumeRecommender(db, run, events, control);
    else
        throw Error("run " + std::to_string(run) + " is a " + kind + " run; it cannot be resumed (run it again)");
}

} // namespace idgen
