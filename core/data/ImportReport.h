#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

// What an import did, stored with the dataset and shown to the user.
struct ImportReport {
    std::string format;
    std::string itemsFormat;
    std::vector<std::string> files;
    std::uint64_t interactionRows = 0;   // rows read from the interactions file
    std::uint64_t skippedRows = 0;       // rows dropped by the format's rules (e.g. ratings below a threshold)
    int kcore = 0;
    int kcoreIterations = 0;
    std::uint64_t kcoreRemovedUsers = 0;
    std::uint64_t kcoreRemovedItems = 0;
    std::uint64_t kcoreRemovedInteractions = 0;
    std::uint64_t metadataRecords = 0;   // records read from the items file
    std::uint64_t metadataIgnored = 0;   // ... for ids that have no (remaining) interactions
    std::uint64_t metadataDuplicates = 0; // repeated records skipped (formats known to repeat)
    std::uint64_t itemsWithoutText = 0;
    std::uint64_t timestampTies = 0;     // consecutive interactions of a user sharing a timestamp
    std::vector<std::string> warnings;
    double seconds = 0.0;
};

nlohmann::json toJson(const ImportReport &report);
ImportReport importReportFromJson(const nlohmann::json &json);

} // namespace idgen
