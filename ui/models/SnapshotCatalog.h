#pragma once

#include "ids/IdSnapshot.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace idgen {
class Database;
}

namespace idgen::ui {

// One snapshot's items as the IDs view browses them: raw id, ID, its tokens as pieces, length
// and the rendered item text, with lower-cased copies of ID and text kept for searching, so a
// search is one pass over memory (Beauty's 12k items in a few milliseconds) instead of a query.
struct SnapshotCatalog {
    enum class Scope { Any, Id, Text, RawId };

    IdSnapshotInfo info;
    std::vector<QString> rawIds;
    std::vector<QString> ids;
    std::vector<QString> pieces; // the ID's tokens as the tokenizer's pieces (ids when it is gone)
    std::vector<int> lengths;    // tokens, eos not counted
    std::vector<QString> texts;  // the rendered item text the ID was made from

    std::size_t size() const { return ids.size(); }
    // Items whose scope contains `query` (case-insensitive), in index order; all for an empty query.
    std::vector<int> search(const QString &query, Scope scope) const;

    // Filled by loadSnapshotCatalog: lower-cased UTF-8 copies for search().
    std::vector<std::string> rawIdKeys;
    std::vector<std::string> idKeys;
    std::vector<std::string> textKeys;
};

// Reads a snapshot, its dataset's item texts and its tokenizer's pieces (run it off the GUI
// thread). Throws an Error naming the snapshot when it does not exist.
std::shared_ptr<const SnapshotCatalog> loadSnapshotCatalog(const Database &db, std::int64_t snapshot);

} // namespace idgen::ui
