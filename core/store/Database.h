#pragma once

#include "store/Statement.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace idgen {

// One open project file: an SQLite database in WAL mode with foreign keys on, at the current
// schema version. Opening a file of a newer schema, or a file that is not a project, throws
// before anything in it is changed.
class Database {
public:
    enum class Mode { OpenExisting, CreateIfMissing };

    explicit Database(const std::filesystem::path &path, Mode mode = Mode::CreateIfMissing);
    // Opens at a given schema version instead of the newest (for migration tests and tools).
    Database(const std::filesystem::path &path, int schemaVersion);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    Statement prepare(std::string_view sql) const { return Statement(m_db, sql); }
    void exec(std::string_view sql) const; // one or more statements without results
    int schemaVersion() const;
    std::int64_t lastInsertId() const;
    const std::filesystem::path &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }

private:
    void open(const std::filesystem::path &path, Mode mode, int targetVersion);
    void registerFunctions();

    sqlite3 *m_db = nullptr;
    std::filesystem::path m_path;
};

// RAII transaction: rolls back unless commit() was called, so an exception leaves no half-write.
class Transaction {
public:
    explicit Transaction(const Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    const Database &m_db;
    bool m_done = false;
};

} // namespace idgen
