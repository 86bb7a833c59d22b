#include "models/SnapshotCatalog.h"

#include "data/ItemText.h"
#include "ids/IdSnapshotRepository.h"
#include "store/DatasetRepository.h"
#include "text/Tokenizer.h"
#include "text/TokenizerRepository.h"

#include <QStringList>

#include <optional>

namespace idgen::ui {
namespace {

std::string key(const QString &text)
{
    return text.toLower().toStdString();
}

bool contains(const std::vector<std::string> &keys, std::size_t i, const std::string &query)
{
    return keys[i].find(query) != std::string::npos;
}

} // namespace

std::vector<int> SnapshotCatalog::search(const QString &query, Scope scope) const
{
    std::vector<int> rows;
    rows.reserve(size());
    const std::string q = key(query.trimmed());
    for (std::size_t i = 0; i < size(); ++i) {
        bool hit = q.empty();
        if (!hit && (scope == Scope::Any || scope == Scope::Id))
            hit = contains(idKeys, i, q);
        if (!hit && (scope == Scope::Any || scope == Scope::Text))
            hit = contains(textKeys, i, q);
        if (!hit && (scope == Scope::Any || scope == Scope::RawId))
            hit = contains(rawIdKeys, i, q);
        if (hit)
            rows.push_back(static_cast<int>(i));
    }
    return rows;
}

std::shared_ptr<const SnapshotCatalog> loadSnapshotCatalog(const Database &db, std::int64_t snapshotId)
{
    const IdSnapshotRepository snapshots(db);
    const IdSnapshot snapshot = snapshots.load(snapshotId);
    const Dataset dataset = DatasetRepository(db).load(snapshot.dataset);
    // A replaced tokenizer no longer knows these token ids: show the numbers then.
    std::optional<Tokenizer> tokenizer;
    if (snapshot.tokenizerId)
        tokenizer.emplace(TokenizerRepository(db).load(snapshot.dataset, snapshot.tokenizer));
    auto catalog = std::make_shared<SnapshotCatalog>();
    catalog->info = snapshots.get(snapshotId);
    const std::size_t n = snapshot.items.size();
    catalog->rawIds.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        catalog->rawIds.push_back(QString::fromStdString(dataset.itemRawIds[i]));
        catalog->ids.push_back(QString::fromStdString(snapshot.items.texts[i]));
        QStringList pieces;
        for (const int token : snapshot.items.tokens[i])
            pieces << (tokenizer ? QString::fromStdString(tokenizer->idToPiece(token)) : QString::number(token));
        catalog->pieces.push_back(pieces.join(QLatin1Char(' ')));
        catalog->lengths.push_back(static_cast<int>(snapshot.items.tokens[i].size()));
        catalog->texts.push_back(QString::fromStdString(renderItemText(dataset.itemFields[i])));
        catalog->rawIdKeys.push_back(key(catalog->rawIds.back()));
        catalog->idKeys.push_back(key(catalog->ids.back()));
        catalog->textKeys.push_back(key(catalog->texts.back()));
    }
    return catalog;
}

} // namespace idgen::ui
