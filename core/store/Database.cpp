#include "store/Database.h"

#include "store/RunLiveness.h"
#include "store/Schema.h"
#include "util/Error.h"

#include <sqlite3.h>

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
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(name.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw Error("cannot open project file " + name + ": " + message);
    }
    try {
        sqlite3_busy_timeout(m_db, 5000);
        sqlite3_extended_result_codes(m_db, 1);
        // Validate before writing anything: a newer or foreign file must stay untouched.
        int applicationId = 0;
        int version = 0;
        try {
            applicationId = pragmaInt(*this, "application_id");
            version = pragmaInt(*this, "user_version");
        } catch (const Error &) {
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
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = NORMAL");
        // 64 MB of page cache: a bulk import spills to the WAL far less often (measured with
        // tests/bench/bench_import).
        exec("PRAGMA cache_size = -65536");
        if (empty)
            exec("PRAGMA application_id = " + std::to_string(schema::kApplicationId));
        schema::migrate(*this, version, targetVersion);
        registerFunctions();
        if (targetVersion >= schema::kRunsVersion)
            markInterruptedRuns(*this);
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
        std::string error = message ? message : sqlite3_errmsg(m_db);
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
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace idgen
