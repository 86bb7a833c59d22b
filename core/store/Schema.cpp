#include "store/Schema.h"

#include "store/Database.h"

#include <array>
#include <string>

namespace idgen::schema {
namespace {

// Forward migrations; entry i takes a file from version i to i+1. Never edit a released entry:
// add a new one.
constexpr std::array<const char *, 8> kMigrations = {
    // 1: datasets as imported. A dataset never changes after import, so per-row counts are
    // stored once to keep paging and sorting of 20k-row tables cheap.
    R"SQL(
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    created_at TEXT NOT NULL,
    kcore INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    user_count INTEGER NOT NULL,
    item_count INTEGER NOT NULL,
    interaction_count INTEGER NOT NULL,
    items_with_text INTEGER NOT NULL,
    has_timestamps INTEGER NOT NULL,
    report TEXT NOT NULL
);
CREATE TABLE items (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    raw_id TEXT NOT NULL,
    fields TEXT,
    interaction_count INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, idx),
    UNIQUE (dataset_id, raw_id)
) WITHOUT ROWID;
CREATE TABLE users (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    raw_id TEXT NOT NULL,
    sequence_length INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, idx),
    UNIQUE (dataset_id, raw_id)
) WITHOUT ROWID;
CREATE TABLE interactions (
    dataset_id INTEGER NOT NULL,
    user_idx INTEGER NOT NULL,
    position INTEGER NOT NULL,
    item_idx INTEGER NOT NULL,
    timestamp INTEGER,
    PRIMARY KEY (dataset_id, user_idx, position),
    FOREIGN KEY (dataset_id, user_idx) REFERENCES users(dataset_id, idx) ON DELETE CASCADE,
    FOREIGN KEY (dataset_id, item_idx) REFERENCES items(dataset_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;
-- Leave-one-out split (method.md section 3), derived from the stored order: the last item of
-- each user is 'test', the one before it 'valid', the rest 'train'.
CREATE VIEW interaction_splits AS
SELECT i.dataset_id, i.user_idx, i.position, i.item_idx, i.timestamp,
       CASE u.sequence_length - i.position WHEN 1 THEN 'test' WHEN 2 THEN 'valid' ELSE 'train' END AS split
FROM interactions i JOIN users u ON u.dataset_id = i.dataset_id AND u.idx = i.user_idx;
)SQL",
    // 2: a journal of the jobs run on the project (import, training, ...), so the GUI can show
    // what the CLI did and a failed job leaves its message behind.
    R"SQL(
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    options TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    message TEXT
);
)SQL",
    // 3: SentencePiece tokenizers trained on (or imported for) a dataset; the model itself is
    // stored, so a project file carries everything needed to encode text the same way again.
    R"SQL(
CREATE TABLE tokenizers (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('unigram', 'bpe', 'imported')),
    vocab_size INTEGER NOT NULL,
    options TEXT NOT NULL,
    model BLOB NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (dataset_id, name)
);
)SQL",
    // 4: snapshots of item and user IDs (one per scheme run or training round), each entity's ID
    // text and token ids (int32 little endian, no eos). A snapshot keeps the name of the tokenizer
    // that encoded it; the link becomes NULL when that tokenizer is replaced, because the stored
    // tokens then belong to a model that no longer exists. IDs are unique per snapshot and kind,
    // and the GUI looks entities up by ID text, hence the unique index.
    R"SQL(
CREATE TABLE id_snapshots (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    tokenizer_id INTEGER REFERENCES tokenizers(id) ON DELETE SET NULL,
    tokenizer TEXT NOT NULL,
    scheme TEXT NOT NULL,
    round INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    options TEXT NOT NULL,
    stats TEXT NOT NULL
);
CREATE INDEX id_snapshots_dataset ON id_snapshots(dataset_id);
CREATE INDEX id_snapshots_tokenizer ON id_snapshots(tokenizer_id);
CREATE TABLE id_entries (
    snapshot_id INTEGER NOT NULL REFERENCES id_snapshots(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('item', 'user')),
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    tokens BLOB NOT NULL,
    PRIMARY KEY (snapshot_id, kind, idx)
) WITHOUT ROWID;
CREATE UNIQUE INDEX id_entries_text ON id_entries(snapshot_id, kind, text);
)SQL",
    // 5: beam-search traces kept for inspection (idgenrec decode --store-trace, the beam
    // inspector): the prompt, the ranked result and every step's beams and pruned tokens as JSON.
    R"SQL(
CREATE TABLE decode_traces (
    id INTEGER PRIMARY KEY,
    snapshot_id INTEGER NOT NULL REFERENCES id_snapshots(id) ON DELETE CASCADE,
    user_idx INTEGER NOT NULL,
    checkpoint TEXT NOT NULL,
    beams INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    prompt TEXT NOT NULL,
    result TEXT NOT NULL,
    trace TEXT NOT NULL
);
CREATE INDEX decode_traces_by_snapshot ON decode_traces(snapshot_id, user_idx);
)SQL",
    // 6: full-ranking evaluations (idgenrec evaluate): metrics, timing and every evaluated user's
    // target rank (JSON [[user_idx, rank or 0], ...]) for per-user inspection.
    R"SQL(
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    snapshot_id INTEGER NOT NULL REFERENCES id_snapshots(id) ON DELETE CASCADE,
    checkpoint TEXT NOT NULL,
    split TEXT NOT NULL CHECK (split IN ('valid', 'test')),
    beams INTEGER NOT NULL,
    users INTEGER NOT NULL,
    metrics TEXT NOT NULL,
    seconds REAL NOT NULL,
    device TEXT NOT NULL,
    options TEXT NOT NULL,
    user_ranks TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX evaluations_by_snapshot ON evaluations(snapshot_id);
)SQL",
    // 7: training runs (recommender, baseline, alternate): what was trained on what with which
    // config, how it ended, where its checkpoints are (relative to the project file), and every
    // metric point as it happens, so curves can be drawn while another process still trains.
    // pid/host/heartbeat_at let a later open tell a live run from one whose process died;
    // stop_requested is how `idgenrec stop` reaches a run in another process.
    R"SQL(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('recommender', 'baseline', 'alternate')),
    name TEXT NOT NULL,
    dataset_hash TEXT NOT NULL,
    snapshot_id INTEGER REFERENCES id_snapshots(id) ON DELETE SET NULL,
    config TEXT NOT NULL,
    seed INTEGER NOT NULL,
    device TEXT NOT NULL,
    versions TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    heartbeat_at TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'stopped', 'done', 'failed', 'interrupted')),
    message TEXT,
    stop_requested INTEGER NOT NULL DEFAULT 0,
    checkpoint_last TEXT,
    checkpoint_best TEXT,
    summary TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_by_dataset ON runs(dataset_id);
CREATE TABLE run_snapshots (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES id_snapshots(id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, round)
) WITHOUT ROWID;
CREATE TABLE run_metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    round INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    step INTEGER NOT NULL,
    split TEXT NOT NULL,
    name TEXT NOT NULL,
    value REAL NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX run_metrics_by_run ON run_metrics(run_id, name, step);
)SQL",
    // 8: jobs record which process runs them (pid, host, heartbeat_at), so a job left 'running'
    // by a killed process becomes 'interrupted' on the next open instead of running forever.
    // SQLite cannot alter a CHECK constraint, so the table is rebuilt with its rows copied; rows
    // from before this version have no pid and are judged by their age alone.
    R"SQL(
CREATE TABLE jobs_v8 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    options TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
    message TEXT,
    pid INTEGER,
    host TEXT,
    heartbeat_at TEXT
);
INSERT INTO jobs_v8 (id, kind, options, started_at, finished_at, status, message)
    SELECT id, kind, options, started_at, finished_at, status, message FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_v8 RENAME TO jobs;
)SQL",
};

} // namespace

int currentVersion()
{
    return static_cast<int>(kMigrations.size());
}

void migrate(const Database &db, int fromVersion, int targetVersion)
{
    for (int version = fromVersion; version < targetVersion; ++version) {
        Transaction transaction(db);
        db.exec(kMigrations[static_cast<std::size_t>(version)]);
        db.exec("PRAGMA user_version = " + std::to_string(version + 1));
        transaction.commit();
    }
}

} // namespace idgen::schema
