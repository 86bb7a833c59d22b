#include "text/TokenizerRepository.h"

#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "util/Clock.h"
#include "util/Error.h"

namespace idgen {
namespace {

constexpr const char *kColumns =
    "t.id, d.name, t.name, t.kind, t.vocab_size, t.options, t.created_at, length(t.model) "
    "FROM tokenizers t JOIN datasets d ON d.id = t.dataset_id ";

TokenizerInfo readInfo(const Statement &statement)
{
    TokenizerInfo info;
    info.id = statement.integer(0);
    info.dataset = statement.text(1);
    info.name = statement.text(2);
    info.kind = statement.text(3);
    info.vocabSize = static_cast<int>(statement.integer(4));
    info.options = nlohmann::json::parse(statement.textView(5), nullptr, false);
    info.createdAt = statement.text(6);
    info.modelBytes = statement.integer(7);
    return info;
}

} // namespace

TokenizerInfo TokenizerRepository::save(const std::string &dataset, const std::string &name, const std::string &kind,
                                        const Tokenizer &tokenizer, const nlohmann::json &options)
{
    if (name.empty())
        throw Error("a tokenizer needs a name");
    if (kind != "unigram" && kind != "bpe" && kind != "imported")
        throw Error("tokenizer kind '" + kind + "' is not unigram, bpe or imported");
    const std::int64_t datasetId = DatasetRepository(m_db).get(dataset).id;
    Transaction transaction(m_db);
    auto remove = m_db.prepare("DELETE FROM tokenizers WHERE dataset_id = ? AND name = ?");
    remove.bind(1, datasetId).bind(2, std::string_view(name)).run();
    auto insert = m_db.prepare("INSERT INTO tokenizers (dataset_id, name, kind, vocab_size, options, model, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, datasetId)
        .bind(2, std::string_view(name))
        .bind(3, std::string_view(kind))
        .bind(4, tokenizer.vocabSize())
        .bind(5, std::string_view(options.dump()))
        .bindBlob(6, tokenizer.modelBytes())
        .bind(7, std::string_view(nowIso8601()));
    insert.run();
    transaction.commit();
    return get(dataset, name);
}

std::vector<TokenizerInfo> TokenizerRepository::list(const std::string &dataset) const
{
    auto statement = m_db.prepare(std::string("SELECT ") + kColumns +
                                  (dataset.empty() ? "ORDER BY d.name, t.name" : "WHERE d.name = ? ORDER BY t.name"));
    if (!dataset.empty())
        statement.bind(1, std::string_view(dataset));
    std::vector<TokenizerInfo> out;
    while (statement.step())
        out.push_back(readInfo(statement));
    return out;
}

std::optional<TokenizerInfo> TokenizerRepository::find(const std::string &dataset, const std::string &name) const
{
    auto statement = m_db.prepare(std::string("SELECT ") + kColumns + "WHERE d.name = ? AND t.name = ?");
    statement.bind(1, std::string_view(dataset)).bind(2, std::string_view(name));
    if (!statement.step())
        return std::nullopt;
    return readInfo(statement);
}

TokenizerInfo TokenizerRepository::get(const std::string &dataset, const std::string &name) const
{
    if (auto info = find(dataset, name))
        return *info;
    DatasetRepository(m_db).get(dataset); // an unknown dataset is the better message
    std::string names;
    for (const auto &info : list(dataset))
        names += (names.empty() ? "" : ", ") + info.name;
    throw Error("dataset '" + dataset + "' has no tokenizer named '" + name + "'" +
                (names.empty() ? " (it has none yet: run 'idgenrec tokenizer train')" : " (it has: " + names + ")"));
}

Tokenizer TokenizerRepository::load(const std::string &dataset, const std::string &name) const
{
    const std::int64_t id = get(dataset, name).id;
    auto statement = m_db.prepare("SELECT model FROM tokenizers WHERE id = ?");
    statement.bind(1, id);
    if (!statement.step())
        throw Error("tokenizer '" + name + "' of dataset '" + dataset + "' vanished while loading");
    try {
        return Tokenizer::fromBytes(statement.blob(0));
    } catch (const Error &error) {
        throw Error("tokenizer '" + name + "' of dataset '" + dataset + "' in " + m_db.path().string() + ": " +
                    error.what());
    }
}

void TokenizerRepository::remove(const std::string &dataset, const std::string &name)
{
    const std::int64_t id = get(dataset, name).id;
    auto statement = m_db.prepare("DELETE FROM tokenizers WHERE id = ?");
    statement.bind(1, id).run();
}

} // namespace idgen
