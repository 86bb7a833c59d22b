#pragma once

// Limits on what the readers accept from files that other people made. Each is far above what any
// real input needs (the figures in the comments are the largest seen in the shared research data
// and the public dumps the importers support) and far below what would exhaust memory or the
// stack, so a corrupt, hostile or mistaken file fails fast with an InputError naming file, line
// and field instead of swapping the machine or crashing it.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace idgen {

// One line of a text file. The longest lines we read are whole-file JSON maps written without a
// line break (LC-Rec .inter.json / .index.json, P5 datamaps.json: 2.9 MB for Sports); the largest
// Amazon 2018 categories make such maps ~100 times bigger. Beyond this it is not a line-oriented
// text file (a binary file, a minified dump of something else) and buffering it whole would only
// postpone the failure.
inline constexpr std::size_t kMaxLineBytes = std::size_t{256} << 20;

// A user or item raw id. Real ids are short (ASINs 10 characters, Yelp ids 22, MovieLens numbers);
// 1 KiB leaves room for URLs used as ids. Every id is kept in memory, in the project file and in
// every prompt, so a megabyte "id" is a column mix-up, not an id.
inline constexpr std::size_t kMaxIdBytes = 1024;

// One text field of item metadata (title, description, categories, ...) or one delimited column.
// The longest Amazon product descriptions are a few tens of KB; the models read a few hundred
// tokens of it. A quoted CSV field that runs past this is almost always a missing closing quote.
inline constexpr std::size_t kMaxTextFieldBytes = std::size_t{1} << 20;

// Columns of one delimited record (RecBole .inter/.item, CSV, MovieLens). Real files have 3 to 30.
inline constexpr std::size_t kMaxColumns = 4096;

// Nesting of JSON values and Python literals. Real metadata nests three levels (Amazon's
// categories are lists of lists inside the record); the Python-literal parser is recursive, so
// without a bound a line of 100,000 '[' would overflow the stack.
inline constexpr int kMaxNestingDepth = 64;

// A TOML config file. Ours are ~2 KB; they are read whole.
inline constexpr std::uintmax_t kMaxConfigBytes = std::uintmax_t{1} << 20;

// Files read whole into memory (P5 datamaps.json) may hold at most this much decompressed text:
// half of the memory available now, so that a small .gz that inflates to gigabytes (or a file too
// big for this machine) is refused with its size instead of being killed by the OOM killer.
std::uint64_t wholeFileBudgetBytes();
// MemAvailable from /proc/meminfo; a conservative 1 GiB where it cannot be read.
std::uint64_t availableMemoryBytes();

// "256 MiB", "1.5 GiB", "812 bytes": sizes in messages.
std::string byteSizeText(std::uint64_t bytes);

// The decompressed text of a (possibly gzip'd) UTF-8 file, lines joined with '\n'. Throws an
// InputError naming the file when it inflates past maxBytes (default: wholeFileBudgetBytes()).
std::string readWholeTextFile(const std::filesystem::path &path, std::uint64_t maxBytes = 0);

} // namespace idgen
