#pragma once

#include "data/DemoDataset.h"
#include "jobs/JobEvents.h"
#include "store/DatasetRepository.h"

namespace idgen {

class Database;

// Generates the demo dataset (by default version 2, the teaching shop; see DemoOptions) and
// stores it under `name` (an existing one of that name is kept when its content is the same,
// replaced otherwise).
DatasetInfo createDemoDataset(const Database &db, const std::string &name, JobEvents &events,
                              const DemoOptions &options = {});

} // namespace idgen
