#pragma once

#include "ids/IdSnapshot.h"
#include "text/Tokenizer.h"

#include <string>
#include <unordered_map>

namespace idgen {

class Database;

// The one place a snapshot's added tokens meet its tokenizer: the dataset's tokenizer
// (snapshot.tokenizer) with snapshot.addedTokens appended (Tokenizer::addTokens). Everything that
// trains on or decodes a snapshot loads its tokenizer here, so prompts, targets, model sizes,
// checkpoints (their tokenizer hash counts the added tokens), tries and traces all see them.
Tokenizer loadSnapshotTokenizer(const Database &db, const IdSnapshot &snapshot);
// The same for a tokenizer already loaded (the dataset's, without the snapshot's tokens).
Tokenizer extendForSnapshot(const Tokenizer &datasetTokenizer, const IdSnapshot &snapshot);

// For schemes writing new tokens: each distinct token is appended to snapshot.addedTokens once and
// gets the id it will have in the extended tokenizer (base vocabulary size + its position).
class AddedTokenTable {
public:
    AddedTokenTable(const Tokenizer &datasetTokenizer, IdSnapshot &snapshot);
    int id(const std::string &token);

private:
    int m_base;
    IdSnapshot &m_snapshot;
    std::unordered_map<std::string, int> m_ids;
};

} // namespace idgen
