#pragma once

// The tokenizer-free half of readIdFile (ids/FileScheme.h): the lines of a `raw_id word word ...`
// ID file split at the first space or tab, blank lines skipped, and each raw id checked against the
// dataset's (one it has, given once, id and ID text within kMaxIdBytes). readIdFile normalises and
// encodes the ID texts; the fuzz target fuzz_id_file (tests/fuzz) runs this part without a tokenizer.

#include "ids/IdSnapshot.h"
#include "util/TextReader.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace idgen {

class IdFileLines {
public:
    // rawIds: the dataset's raw ids of that kind, by dense index (kept by reference).
    IdFileLines(const std::filesystem::path &file, std::span<const std::string> rawIds, IdKind kind);

    // The next line's entity (dense index into rawIds) and the ID text after its raw id (valid
    // until the next call); false at the end of the file. Throws InputError naming file:line and
    // field for a raw id the dataset does not have or that an earlier line gave.
    bool next(std::size_t &entity, std::string_view &idText);
    // The line an entity's ID is on; 0 while it has none.
    std::uint64_t lineOf(std::size_t entity) const { return m_lineOf[entity]; }
    // Throws InputError naming the file when entities have no line (the first few spelled out).
    void requireEveryEntity() const;

    // InputError naming the current line and field.
    [[noreturn]] void fail(const std::string &field, const std::string &problem) const { m_reader.fail(field, problem); }
    const std::string &fileName() const { return m_reader.fileName(); }
    double progress() const { return m_reader.progress(); }
    const std::string &kindName() const { return m_kindName; }

private:
    TextReader m_reader;
    std::span<const std::string> m_rawIds;
    std::string m_kindName;
    std::unordered_map<std::string_view, std::size_t> m_indexOf;
    std::vector<std::uint64_t> m_lineOf;
};

} // namespace idgen
