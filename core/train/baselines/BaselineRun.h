#pragma once

#include "jobs/JobEvents.h"
#include "train/RunRepository.h"
#include "train/baselines/SasRecConfig.h"
#include "train/baselines/SasRecTrainer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

class Database;
class ProcessGroupContext;

struct BaselineRequest {
    std::string dataset;
    std::string model;      // pop, markov, sasrec-ce, sasrec-bce
    std::string configPath; // SASRec only; empty: the built-in defaults (resources/configs/sasrec.toml)
    std::string device = "cpu";
};

// The baseline models, in the order the CLI lists them.
const std::vector<std::string> &baselineModels();

// `idgenrec baseline`: one baseline as a run of the project (kind "baseline", name = the model):
// fitted or trained on the leave-one-out training split, evaluated on valid and test with full
// ranking (RankingMetrics at 5, 10, 20), metric points and summary in the project file, SASRec's
// best weights and item embeddings in the run's folder.
class BaselineRun {
public:
    // Checks everything a run needs before one exists: the model name, the dataset, the device and
    // the config (an InputError naming file, line and key), so that bad input leaves no run behind.
    BaselineRun(const Database &db, BaselineRequest request);

    // Data-parallel SASRec (train/distributed/): this process is one rank of `group`. Rank 0
    // creates and executes the run and alone writes; the others call follow(). Throws for pop and
    // markov, which fit in one process in seconds.
    void setGroup(ProcessGroupContext *group);

    // Creates the run (status running) and returns its id.
    std::int64_t create();
    // Trains and evaluates; the run ends done, or stopped when stop fired or `idgenrec stop` asked
    // (what it had is saved). Any error marks the run failed with the message and is rethrown.
    RunRecord execute(JobEvents &events, StopToken stop);

    // A rank other than 0: the same training on its share of every batch, nothing written (the
    // project file, checkpoints and events are rank 0's). stop: this process's own Ctrl-C.
    void follow(JobEvents &events, StopToken stop);

    const BaselineRequest &request() const { return m_request; }
    std::int64_t id() const { return m_id; }

private:
    void train(JobEvents &events, StopToken stop);
    SasRecTraining sasRecTraining(const std::filesystem::path &folder) const;

    const Database &m_db;
    BaselineRequest m_request;
    std::optional<SasRecConfig> m_sasrec; // the SASRec models only
    std::string m_configText;
    std::int64_t m_id = 0;
    ProcessGroupContext *m_group = nullptr;
};

} // namespace idgen
