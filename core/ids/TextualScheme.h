#pragma once

#include "ids/IdAssignmentOptions.h"
#include "ids/IdSnapshot.h"
#include "jobs/JobEvents.h"

namespace idgen {

class Database;
class Tokenizer;
struct Dataset;

// The textual scheme (IDGenRec): the ID generator's diverse beam search under the unique-ID
// assigner, for items, then for users over userHistoryTexts (leak-free unless options say
// otherwise). Called by assignIds (IdAssignmentJob.h) with the dataset and its tokenizer loaded;
// it returns the items (and users) tables with their stats, and may record scheme details in
// the snapshot's options. The job fills in the identity fields (dataset, tokenizer, scheme,
// round, name) and saves the snapshot. Progress is the fraction of this step.
IdSnapshot assignTextualIds(const Database &db, const Dataset &dataset, const Tokenizer &tokenizer,
                            const IdAssignmentOptions &options, JobEvents &events, StopToken stop);

} // namespace idgen
