#include "recommend/RecommenderCache.h"

#include "ids/IdSnapshotRepository.h"
#include "store/Database.h"

#include <algorithm>
#include <chrono>
#include <system_error>

namespace idgen {
namespace {

std::int64_t modifiedNs(const std::filesystem::path &path)
{
    std::error_code error;
    const auto time = std::filesystem::last_write_time(path, error);
    if (error)
        return 0;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

} // namespace

RecommenderCache::ModelKey RecommenderCache::modelKeyOf(const std::filesystem::path &checkpoint, const std::string &device)
{
    std::error_code error;
    ModelKey key;
    const std::filesystem::path path = std::filesystem::weakly_canonical(checkpoint, error);
    key.path = (error ? std::filesystem::absolute(checkpoint) : path).string();
    key.device = device;
    if (std::filesystem::is_directory(checkpoint, error)) { // a Hugging Face folder: its files
        for (const auto &entry : std::filesystem::directory_iterator(checkpoint, error)) {
            if (!entry.is_regular_file(error))
                continue;
            key.modified = std::max(key.modified, modifiedNs(entry.path()));
            key.bytes += entry.file_size(error);
        }
    } else {
        key.modified = modifiedNs(checkpoint);
        key.bytes = std::filesystem::file_size(checkpoint, error);
    }
    return key;
}

RecommenderCache::SnapshotKey RecommenderCache::snapshotKeyOf(const Database &db, std::int64_t snapshot)
{
    const IdSnapshotInfo info = IdSnapshotRepository(db).get(snapshot);
    return {std::filesystem::absolute(db.path()).string(), snapshot, info.createdAt, info.tokenizerId};
}

std::shared_ptr<const RecommenderSetup> RecommenderCache::setup(const Database &db, const std::filesystem::path &checkpoint,
                                                                std::int64_t snapshot, const std::string &device)
{
    const std::lock_guard lock(m_mutex);
    const ModelKey modelKey = modelKeyOf(checkpoint, device);
    const SnapshotKey snapshotKey = snapshotKeyOf(db, snapshot);
    const bool sameModel = m_setup && m_modelKey == modelKey;
    const bool sameSnapshot = m_setup && m_snapshotKey == snapshotKey;
    if (sameModel && sameSnapshot)
        return m_setup;
    LoadedModel model;
    if (sameModel) {
        model = m_setup->recommender;
    } else {
        model = loadModel(checkpoint, device);
        ++m_modelLoads;
    }
    if (sameSnapshot && m_setup.use_count() == 1) {
        // Only the model changed: keep the snapshot side, after the same vocabulary check.
        requireModelFitsTokenizer(model, m_setup->tokenizer.contentHash(), m_setup->tokenizer.vocabSize(),
                                  "checkpoint " + checkpoint.string(),
                                  "tokenizer '" + m_setup->snapshot.tokenizer + "' of snapshot " + std::to_string(snapshot));
        m_setup->recommender = std::move(model);
    } else {
        m_setup = std::make_shared<RecommenderSetup>(recommenderSetup(db, std::move(model), "checkpoint " + checkpoint.string(), snapshot));
    }
    m_modelKey = modelKey;
    m_snapshotKey = snapshotKey;
    return m_setup;
}

int RecommenderCache::modelLoads() const
{
    const std::lock_guard lock(m_mutex);
    return m_modelLoads;
}

void RecommenderCache::clear()
{
    const std::lock_guard lock(m_mutex);
    m_setup.reset();
}

} // namespace idgen
