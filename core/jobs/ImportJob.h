#pragma once

#include "data/formats/Format.h"
#include "jobs/JobEvents.h"
#include "store/DatasetRepository.h"

#include <filesystem>
#include <optional>
#include <string>

namespace idgen {

class Database;

struct ImportOptions {
    std::string name;
    ImportSources sources;
    std::string format;      // empty: detect from the interactions file
    std::string itemsFormat; // empty: detect from the items file
    std::optional<int> kcore; // empty: the format's default
    bool replace = false;
};

// Reads the files, filters, and stores the dataset in one transaction: on any error (or stop)
// nothing is written. The job is journalled in the project's jobs table.
DatasetInfo runImport(const Database &db, const ImportOptions &options, JobEvents &events, StopToken stop = {});

// Same, without the database: what would be stored.
Dataset readDataset(const ImportOptions &options, JobEvents &events, StopToken stop = {});

} // namespace idgen
