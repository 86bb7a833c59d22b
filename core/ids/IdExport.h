#pragma once

#include "ids/IdSnapshot.h"

#include <cstdint>
#include <filesystem>

namespace idgen {

class Database;

// Writes a snapshot's item (or user) IDs as `raw_id word word ...` lines in index order, the
// format the file scheme reads, and returns the number of lines. Throws an Error naming the file
// when it cannot be written, and when the snapshot has no IDs of that kind.
std::size_t exportIds(const Database &db, std::int64_t snapshot, IdKind kind, const std::filesystem::path &out);

} // namespace idgen
