#pragma once

#include "ids/IdSnapshot.h"
#include "jobs/JobEvents.h"

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace idgen {

class Tokenizer;

// Reads existing IDs from a `raw_id word word ...` file (one entity a line, split at the first
// space or tab, as the published code's item_generative_indexing_phase_0.txt and
// user_generative_index_phase_0.txt): each ID is normalised (IdText.h) and encoded with the
// tokenizer. rawIds are the dataset's raw ids of that kind, by dense index. Blank lines are
// skipped. Errors are InputErrors naming file:line: a raw id the dataset does not have, a raw id
// given twice, entities the file leaves out, and, unless `repair`, an ID that is empty or that
// another line already has (same text, or same tokens). With `repair`, those entities instead
// get the assigner's deterministic fallback (UsedIds::takeWithSuffix) after every valid line has
// taken its ID, in index order, so a repair never takes an ID that the file gives to another.
IdTable readIdFile(const std::filesystem::path &file, std::span<const std::string> rawIds, IdKind kind,
                   const Tokenizer &tokenizer, bool repair, JobEvents &events, StopToken stop = {});

// The user_history a snapshot records when its user IDs come from a file (--users-from): the
// published user_generative_index files were written from each user's whole sequence, test item
// included (method.md section 2.1), so they leak it; evaluations warn about such snapshots.
inline constexpr std::string_view kPublishedFileUserHistory = "leaky (published file)";
// Records that in a snapshot's options (they are merged over the assignment options).
void recordFileUserHistory(nlohmann::json &snapshotOptions);

} // namespace idgen
