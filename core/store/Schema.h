#pragma once

namespace idgen {

class Database;

namespace schema {

// 'IDGR': marks an SQLite file as a project file.
constexpr int kApplicationId = 0x49444752;
// The first version with the runs tables.
constexpr int kRunsVersion = 7;
// The newest schema version this build writes.
int currentVersion();
// Applies the forward migrations from the file's version up to targetVersion, each in its own
// transaction.
void migrate(const Database &db, int fromVersion, int targetVersion);

} // namespace schema
} // namespace idgen
