#pragma once

#include <string>

struct sqlite3;

namespace idgen {

// SQLite's message for the last error on db; for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB)
// a message that names the project file and says what to do, since "database disk image is
// malformed" alone names nothing.
std::string sqliteErrorText(sqlite3 *db);

// Checks the SQLite header of a project file against its size before SQLite reads it: a file cut
// short (a torn copy, a full disk during a copy) is refused naming the file, instead of failing
// later on whichever page is missing. Throws Error; silent for a file too short to have a header
// (SQLite reports those) and while a -wal file holds pages not yet written back.
void checkProjectFileSize(const std::string &path);

} // namespace idgen
