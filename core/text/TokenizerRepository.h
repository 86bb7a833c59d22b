#pragma once

#include "text/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

class Database;

struct TokenizerInfo {
    std::int64_t id = 0;
    std::string dataset;
    std::string name;
    std::string kind; // unigram, bpe or imported
    int vocabSize = 0;
    nlohmann::json options; // training options and statistics, or the imported file
    std::string createdAt;
    std::int64_t modelBytes = 0;
};

// Tokenizers of a project's datasets (table `tokenizers`), models stored as BLOBs. A tokenizer
// belongs to one dataset and goes with it when the dataset is removed.
class TokenizerRepository {
public:
    static constexpr const char *kDefaultName = "default";

    explicit TokenizerRepository(const Database &db) : m_db(db) {}

    // Stores (or replaces, in one transaction) a tokenizer of a dataset; throws when the dataset
    // is unknown or the kind is not unigram, bpe or imported.
    TokenizerInfo save(const std::string &dataset, const std::string &name, const std::string &kind,
                       const Tokenizer &tokenizer, const nlohmann::json &options);
    // All tokenizers of a dataset, or of every dataset when `dataset` is empty.
    std::vector<TokenizerInfo> list(const std::string &dataset = {}) const;
    std::optional<TokenizerInfo> find(const std::string &dataset, const std::string &name) const;
    // Throws an Error listing the dataset's tokenizers when there is none of that name.
    TokenizerInfo get(const std::string &dataset, const std::string &name) const;
    Tokenizer load(const std::string &dataset, const std::string &name) const;
    void remove(const std::string &dataset, const std::string &name);

private:
    const Database &m_db;
};

} // namespace idgen
