#pragma once

#include "data/Dataset.h"
#include "ids/IdAssignmentOptions.h"
#include "ids/IdSnapshot.h"
#include "jobs/JobEvents.h"

namespace idgen {

class Database;
class Tokenizer;

struct IdAssignmentReport {
    IdSnapshotInfo snapshot; // as saved
    IdStats items;
    IdStats users;
    bool tokenizerTrained = false; // the dataset had no "default" tokenizer, so one was trained
    double seconds = 0.0;          // the whole job
};

// Assigns IDs to a dataset's items and users with one scheme and saves them as a new snapshot;
// journalled as an 'ids' job. Loads the dataset and its tokenizer (options.tokenizer; the
// "default" one is trained with default options when the dataset has none, which is logged).
// Nothing is saved on an error or a stop (idgen::Cancelled).
// With options.group (several ranks; the textual scheme only): every rank runs this, the
// generator's searches are shared (GeneratorCandidates.h), rank 0 alone trains a missing
// tokenizer, journals the job and saves the snapshot, and every rank returns its report.
IdAssignmentReport assignIds(const Database &db, const IdAssignmentOptions &options, JobEvents &events,
                             StopToken stop = {});

// The schemes that need no project (IdSchemeNeeds::project: all but textual): the snapshot they
// give, identity fields and record filled, not saved. Throws for the others.
IdSnapshot buildIdSnapshot(const Dataset &dataset, const Tokenizer &tokenizer, const IdAssignmentOptions &options,
                           JobEvents &events, StopToken stop = {});

} // namespace idgen
