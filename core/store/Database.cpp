#include "store/Database.h"

#include "store/RunLiveness.h"
#include "store/Schema.h"
#include "store/SqliteError.h"
#include "util/Error.h"

#include <sqlite3.h>

#include <unistd.h>

#include <cstdlib>
#include <regex>

namespace idgen {
namespace {

int pragmaInt(const Database &db, const char *name)
{
    auto statement = db.prepare(std::string("PRAGMA ") + name);
    return statement.step() ? static_cast<int>(statement.integer(0)) : 0;
}

// SQL `text REGEXP pattern`: ECMAScript, case-insensitive; the compiled pattern is cached per
// statement by SQLite's auxdata so a table scan compiles it once.
void regexpFunction(sqlite3_context *context, int, sqlite3_value **arguments)
{
    auto *pattern = static_cast<std::regex *>(sqlite3_get_auxdata(context, 0));
    if (!pattern) {
        const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(arguments[0]));
        try {
            pattern = new std::regex(text ? text : "", std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error &error) {
            sqlite3_result_error(context, (std::string("invalid regular expression: ") + error.what()).c_str(), -1);
            return;
        }
        sqlite3_set_auxdata(context, 0, pattern, [](void *p) { delete static_cast<std::regex *>(p); });
        pattern = static_cast<std::regex *>(sqlite3_get_auxdata(context, 0));
        if (!pattern) {
            sqlite3_result_error_nomem(context);
            return;
        }
    }
    const auto *subject = reinterpret_cast<const char *>(sqlite3_value_text(arguments[1]));
    const int length = sqlite3_value_bytes(arguments[1]);
    sqlite3_result_int(context, subject && std::regex_search(subject, subject + length, *pattern) ? 1 : 0);
}

// The first schema version whose jobs record their process (see Schema.cpp, migration 8).
constexpr int kJobLivenessVersion = 8;

// A file: URI for SQLite (RFC 3986 escaping of what its URI parser treats specially).
std::string fileUri(const std::filesystem::path &path, const char *query)
{
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(path).string()) {
        if (c == '%' || c == '?' || c == '#') {
            static const char *hex = "0123456789ABCDEF";
            uri += '%';
            uri += hex[(static_cast<unsigned char>(c) >> 4) & 15];
            uri += hex[static_cast<unsigned char>(c) & 15];
        } else {
            uri += c;
        }
    }
    return uri + "?" + query;
}

// Whether this process may change the file: SQLite needs the file and, for its -wal and -shm
// files, the folder to be writable.
bool writable(const std::filesystem::path &path)
{
    const auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    return ::access(path.c_str(), W_OK) == 0 && ::access(folder.c_str(), W_OK) == 0;
}

void markInterrupted(const Database &db, int schemaVersion)
{
    // Best effort: another process may hold the write lock past the busy timeout (a long import),
    // and a full disk refuses the update; the next open tries again, and reading must not fail
    // because of it.
    try {
        if (schemaVersion >= schema::kRunsVersion)
            markInterruptedRuns(db);
        if (schemaVersion >= kJobLivenessVersion)
            markInterruptedJobs(db);
    } catch (const Error &) {
    }
}

} // namespace

Database::Database(const std::filesystem::path &path, Mode mode)
{
    open(path, mode, schema::currentVersion());
}

Database::Database(const std::filesystem::path &path, int schemaVersion)
{
    open(path, Mode::CreateIfMissing, schemaVersion);
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

void Database::open(const std::filesystem::path &path, Mode mode, int targetVersion)
{
    m_path = path;
    const std::string name = path.string();
    const bool existed = std::filesystem::exists(path);
    if (!existed && mode == Mode::OpenExisting)
        throw Error("project file not found: " + name);
    // A read-only project (file or folder) is opened for reading only, so it can still be
    // browsed; every write is then refused with the file named (Transaction, JobJournal).
    const bool readOnly = existed && !writable(path);
    if (existed)
        checkProjectFileSize(name);
    std::string target = name;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (readOnly) {
        flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX;
        // A WAL reader needs a -shm file: without a writable folder SQLite cannot create it, and
        // in a writable one it would leave -wal and -shm files behind with the project's read-only
        // mode, breaking the next writable open. A cleanly closed project has no -wal, so reading
        // the main file as immutable is exact; with a -wal left, its content must be read.
        const bool walLeft = std::filesystem::exists(name + "-wal");
        target = fileUri(path, walLeft ? "mode=ro" : "immutable=1");
    }
    if (sqlite3_open_v2(target.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw Error("cannot open project file " + name + ": " + message +
                    (existed ? "" : " (is its folder writable?)"));
    }
    try {
        // Under WAL readers never wait; a writer waits for another process's write transaction.
        // An import is one transaction of up to a minute on large files, so the wait is that long
        // rather than failing with "database is locked" (packaging/faults.sh, two processes).
        sqlite3_busy_timeout(m_db, 60000);
        sqlite3_extended_result_codes(m_db, 1);
        // Validate before writing anything: a newer or foreign file must stay untouched.
        int applicationId = 0;
        int version = 0;
        try {
            applicationId = pragmaInt(*this, "application_id");
            version = pragmaInt(*this, "user_version");
        } catch (const Error &) {
            if ((sqlite3_errcode(m_db) & 0xFF) == SQLITE_CORRUPT)
                throw Error(sqliteErrorText(m_db));
            throw Error(name + " is not an SQLite database, so not a project file");
        }
        const bool empty = pragmaInt(*this, "page_count") == 0;
        if (!empty && applicationId != schema::kApplicationId)
            throw Error(name + " is an SQLite file but not an IDGenRec project file");
        if (version > schema::currentVersion())
            throw Error(name + " was written by a newer IDGenRec Workbench (schema version " +
                        std::to_string(version) + ", this build reads up to " +
                        std::to_string(schema::currentVersion()) + "); update the workbench to open it");
        exec("PRAGMA foreign_keys = ON");
        if (readOnly && version < targetVersion)
            throw Error(name + " is read-only and was written at schema version " + std::to_string(version) +
                        " (this build writes " + std::to_string(targetVersion) +
                        "); open it once where it is writable to upgrade it");
        if (!readOnly)
            exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = NORMAL");
        // 64 MB of page cache: a bulk import spills to the WAL far less often (measured with
        // tests/bench/bench_import).
        exec("PRAGMA cache_size = -65536");
        if (empty && !readOnly)
            exec("PRAGMA application_id = " + std::to_string(schema::kApplicationId));
        if (!readOnly)
            schema::migrate(*this, version, targetVersion);
        registerFunctions();
        // Testing aid (documented in README, "Faults and packaging"): caps the file's size in
        // pages, so a full disk can be emulated without filling one.
        if (const char *maxPages = std::getenv("IDGEN_MAX_PAGE_COUNT"); maxPages && *maxPages && !readOnly)
            exec("PRAGMA max_page_count = " + std::to_string(std::strtoll(maxPages, nullptr, 10)));
        if (!readOnly)
            markInterrupted(*this, targetVersion);
    } catch (...) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw;
    }
}

void Database::exec(std::string_view sql) const
{
    char *message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const int code = sqlite3_errcode(m_db) & 0xFF;
        std::string error = code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? sqliteErrorText(m_db)
                            : message                                        ? message
                                                                             : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        throw Error("SQL error: " + error);
    }
}

void Database::registerFunctions()
{
    sqlite3_create_function_v2(m_db, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, regexpFunction,
                               nullptr, nullptr, nullptr);
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::schemaVersion() const
{
    return pragmaInt(*this, "user_version");
}

Transaction::Transaction(const Database &db)
    : m_db(db)
{
    if (sqlite3_db_readonly(m_db.handle(), "main") == 1)
        throw Error("cannot write to the project file " + m_db.path().string() +
                    ": it (or its folder) is read-only; nothing was changed");
    // IMMEDIATE takes the write lock now, so a second writer waits here with the busy timeout
    // instead of failing with "database is locked" when a read transaction tries to upgrade.
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // Nothing more can be done in a destructor; SQLite rolls back on close anyway.
        }
    }
}

void Transaction::commit()
{
    try {
        m_db.exec("COMMIT");
    } catch (const Error &error) {
        // The destructor rolls back; the message names the file, since SQLite's does not.
        throw Error("cannot write the project file " + m_db.path().string() + ": " + error.what() +
                    " (the project is unchanged)");
    }
    m_done = true;
}

} // namespace idgen
