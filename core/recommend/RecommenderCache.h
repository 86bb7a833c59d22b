#pragma once

#include "recommend/RecommenderSetup.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace idgen {

class Database;

// What the beam inspector's "decode again" needs to be quick: the last RecommenderSetup, kept
// for the next decoding. The model is reused while the checkpoint's path, modification time and
// size and the device are the same (a checkpoint rewritten by training is read again); the
// snapshot side (IDs, dataset, tokenizer, trie) while the project file, the snapshot's id, its
// creation time and its tokenizer are. Safe to share between threads (one decoding at a time).
class RecommenderCache {
public:
    // Loads (or reuses) and checks like loadRecommenderSetup; throws the same errors.
    std::shared_ptr<const RecommenderSetup> setup(const Database &db, const std::filesystem::path &checkpoint,
                                                  std::int64_t snapshot, const std::string &device);
    // How many times a model was read from disk (for tests and benchmarks).
    int modelLoads() const;
    void clear();

private:
    struct ModelKey {
        std::string path;
        std::int64_t modified = 0; // newest file's modification time (ns); a folder's files too
        std::uintmax_t bytes = 0;
        std::string device;
        bool operator==(const ModelKey &) const = default;
    };
    struct SnapshotKey {
        std::string project;
        std::int64_t snapshot = 0;
        std::string createdAt;
        std::optional<std::int64_t> tokenizer;
        bool operator==(const SnapshotKey &) const = default;
    };
    static ModelKey modelKeyOf(const std::filesystem::path &checkpoint, const std::string &device);
    static SnapshotKey snapshotKeyOf(const Database &db, std::int64_t snapshot);

    mutable std::mutex m_mutex;
    std::shared_ptr<RecommenderSetup> m_setup;
    ModelKey m_modelKey;
    SnapshotKey m_snapshotKey;
    int m_modelLoads = 0;
};

} // namespace idgen
