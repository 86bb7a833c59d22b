#pragma once

#include "train/RecommenderTraining.h"

#include <cstdint>

namespace idgen {

class Database;

// IDGenRec's alternate training (method.md section 1) as one run of kind "alternate": rounds of
// ID phase (IdPhase.h: the generator learns through the frozen recommender), ID assignment
// (Algorithm 1 with that generator into a new snapshot, linked to the run and its round), and
// recommender phase (RecommenderPhase.h on the new snapshot). Every round's snapshot, losses,
// metrics and ID movement (changed fraction, word edit distance, collisions, escalations,
// fallbacks, mean length) go into the project file. The run keeps its own generator, copied from
// the project's warm-started one. Progress is recorded after every phase in
// <project>.models/run-<id>/alternate.json, so a stop or a kill resumes inside the phase it hit:
// bit for bit in the ID and recommender phases, the assignment redone (it is deterministic).
// Data-parallel (control.group of several ranks, `--nproc N`, torchrun's variables): every rank
// runs every step, each phase splitting its work (the ID phase's and the recommender's batches,
// Algorithm 1's searches, the evaluation's users); rank 0 alone writes the project file, the
// checkpoints and alternate.json, the others read them after a barrier (one file system: the
// project's folder is shared, as it is for any data-parallel run here).
// request.config must be an alternate config (with [rounds]); request.snapshot, when given, is
// the round-0 IDs (else textual IDs from the project's generator are assigned).
std::int64_t trainAlternate(const Database &db, const TrainRequest &request, JobEvents &events,
                            const TrainingControl &control = {});
void resumeAlternate(const Database &db, std::int64_t run, JobEvents &events, const TrainingControl &control = {});

} // namespace idgen
