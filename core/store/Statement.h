#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace idgen {

// RAII prepared statement. Binding is 1-based like SQLite; columns are 0-based.
// Errors throw idgen::Error with SQLite's message and the statement text.
class Statement {
public:
    Statement(sqlite3 *db, std::string_view sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement(Statement &&other) noexcept;

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view value); // copied by SQLite
    Statement &bindNull(int index);
    // Binary data (copied by SQLite); an empty blob is stored as a zero-length BLOB, not NULL.
    Statement &bindBlob(int index, std::string_view bytes);
    Statement &bind(int index, const std::optional<std::int64_t> &value);

    // Advances; true while a row is available.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string_view textView(int column) const; // valid until the next step/reset
    std::string blob(int column) const;          // the bytes of a BLOB column

private:
    [[noreturn]] void fail(const char *action) const;

    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace idgen
