#pragma once

#include "train/RecommenderTraining.h"

#include <cstdint>

namespace idgen {

class Database;

// What `idgenrec train` and `resume` call: a config with a [rounds] section starts an alternate
// run (AlternateTraining.h), any other a recommender run; resume goes by the run's kind.
std::int64_t startTraining(const Database &db, const TrainRequest &request, JobEvents &events,
                           const TrainingControl &control = {});
void resumeTraining(const Database &db, std::int64_t run, JobEvents &events, const TrainingControl &control = {});

} // namespace idgen
