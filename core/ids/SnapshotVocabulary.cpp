#include "ids/SnapshotVocabulary.h"

#include "text/TokenizerRepository.h"

namespace idgen {

Tokenizer extendForSnapshot(const Tokenizer &datasetTokenizer, const IdSnapshot &snapshot)
{
    Tokenizer tokenizer = Tokenizer::fromBytes(datasetTokenizer.modelBytes());
    tokenizer.addTokens(snapshot.addedTokens);
    return tokenizer;
}

Tokenizer loadSnapshotTokenizer(const Database &db, const IdSnapshot &snapshot)
{
    Tokenizer tokenizer = TokenizerRepository(db).load(snapshot.dataset, snapshot.tokenizer);
    tokenizer.addTokens(snapshot.addedTokens);
    return tokenizer;
}

AddedTokenTable::AddedTokenTable(const Tokenizer &datasetTokenizer, IdSnapshot &snapshot)
    : m_base(datasetTokenizer.vocabSize())
    , m_snapshot(snapshot)
{
    for (const std::string &token : snapshot.addedTokens)
        m_ids.emplace(token, m_base + static_cast<int>(m_ids.size()));
}

int AddedTokenTable::id(const std::string &token)
{
    const auto [it, inserted] = m_ids.emplace(token, m_base + static_cast<int>(m_ids.size()));
    if (inserted)
        m_snapshot.addedTokens.push_back(token);
    return it->second;
}

} // namespace idgen
