#include "store/SqliteError.h"

#include "util/Error.h"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

namespace idgen {
namespace {

std::uint32_t bigEndian(const unsigned char *bytes, int count)
{
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i)
        value = (value << 8) | bytes[i];
    return value;
}

} // namespace

std::string sqliteErrorText(sqlite3 *db)
{
    const std::string message = sqlite3_errmsg(db);
    const int code = sqlite3_errcode(db) & 0xFF;
    if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
        return message;
    const char *file = sqlite3_db_filename(db, "main");
    const std::string name = file && *file ? file : "the project file";
    return "the project file " + name + " is damaged (" + message +
           "); it cannot be read safely. Restore it from a backup (or salvage what is left with "
           "`sqlite3 " + name + " .recover`)";
}

void checkProjectFileSize(const std::string &path)
{
    // https://www.sqlite.org/fileformat.html, "The Database Header".
    constexpr std::size_t kHeaderBytes = 100;
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size < kHeaderBytes)
        return;
    if (std::filesystem::exists(path + "-wal", ec) && std::filesystem::file_size(path + "-wal", ec) > 0)
        return; // recovery from the WAL may still complete the main file
    unsigned char header[kHeaderBytes];
    std::ifstream in(path, std::ios::binary);
    if (!in.read(reinterpret_cast<char *>(header), kHeaderBytes))
        return;
    if (std::string(reinterpret_cast<const char *>(header), 16) != std::string("SQLite format 3\0", 16))
        return; // not SQLite at all: the open reports that
    const std::uint32_t pageSize = bigEndian(header + 16, 2) == 1 ? 65536 : bigEndian(header + 16, 2);
    const std::uint32_t changeCounter = bigEndian(header + 24, 4);
    const std::uint32_t pages = bigEndian(header + 28, 4);
    const std::uint32_t validFor = bigEndian(header + 92, 4);
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        throw Error("the project file " + path + " is damaged: its header gives an impossible page size (" +
                    std::to_string(pageSize) + "); restore it from a backup");
    const std::uint64_t expected = static_cast<std::uint64_t>(pages) * pageSize;
    // The header's page count is only current when written by the same change as the counter.
    if (validFor == changeCounter && pages > 0 && size < expected)
        throw Error("the project file " + path + " is truncated: its header says " + std::to_string(pages) +
                    " pages (" + std::to_string(expected) + " bytes) but the file has " + std::to_string(size) +
                    " bytes (an incomplete copy?); restore it from a backup");
    if (size % pageSize != 0)
        throw Error("the project file " + path + " is truncated or damaged: " + std::to_string(size) +
                    " bytes is not a whole number of " + std::to_string(pageSize) +
                    "-byte pages; restore it from a backup");
}

} // namespace idgen
