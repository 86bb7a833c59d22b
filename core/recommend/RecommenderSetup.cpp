#include "recommend/RecommenderSetup.h"

#include "ids/IdSnapshotRepository.h"
#include "model/T5Model.h"
#include "store/DatasetRepository.h"
#include "ids/SnapshotVocabulary.h"
#include "util/Error.h"

namespace idgen {

PrefixTrie itemTrie(const IdSnapshot &snapshot, std::int32_t eos)
{
    std::vector<std::vector<std::int32_t>> itemTokens(snapshot.items.tokens.size());
    for (std::size_t i = 0; i < itemTokens.size(); ++i)
        itemTokens[i].assign(snapshot.items.tokens[i].begin(), snapshot.items.tokens[i].end());
    return PrefixTrie::build(itemTokens, eos);
}

RecommenderSetup loadRecommenderSetup(const Database &db, const std::filesystem::path &checkpoint,
                                      std::int64_t snapshotId, const std::string &device)
{
    return recommenderSetup(db, loadModel(checkpoint, device), "checkpoint " + checkpoint.string(), snapshotId);
}

RecommenderSetup recommenderSetup(const Database &db, LoadedModel recommender, const std::string &modelName,
                                  std::int64_t snapshotId)
{
    IdSnapshot snapshot = IdSnapshotRepository(db).load(snapshotId);
    if (!snapshot.tokenizerId)
        throw Error("snapshot " + std::to_string(snapshotId) + " was encoded with tokenizer '" + snapshot.tokenizer +
                    "', which has since been replaced or removed, so its token ids mean nothing now; assign IDs "
                    "again (idgenrec ids assign)");
    Dataset dataset = DatasetRepository(db).load(snapshot.dataset);
    Tokenizer tokenizer = loadSnapshotTokenizer(db, snapshot);
    requireModelFitsTokenizer(recommender, tokenizer.contentHash(), tokenizer.vocabSize(), modelName,
                              "tokenizer '" + snapshot.tokenizer + "' of snapshot " + std::to_string(snapshotId));
    PrefixTrie trie = itemTrie(snapshot, tokenizer.specialIds().eos);
    return {std::move(snapshot), std::move(dataset), std::move(tokenizer), std::move(recommender), std::move(trie)};
}

} // namespace idgen
