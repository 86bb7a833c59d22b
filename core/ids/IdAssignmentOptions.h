#pragma once

#include "ids/GeneratorWarmup.h"
#include "ids/UniqueIdAssigner.h"
#include "ids/UserIdSource.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace idgen {

class ProcessGroupContext;

// What `idgenrec ids assign` asks for. The schemes are listed in ids/schemes/IdScheme.h's
// registry. The typed fields below belong to the schemes that training configs drive (title,
// file, textual); the other schemes read their own options from schemeOptions.
struct IdAssignmentOptions {
    std::string dataset;
    std::string scheme = "textual";
    int round = 0;                  // alternate-training round the IDs belong to (0: initial)
    std::string name;               // empty: "<scheme> round <round>"
    std::string tokenizer = "default"; // the dataset's tokenizer; "default" is trained when missing
    // file scheme
    std::filesystem::path fromFile;  // item IDs, `raw_id word word ...`
    std::filesystem::path usersFrom; // user IDs in the same format; empty: users numbered 1..U
    bool repairFile = false;         // empty or repeated file IDs get fallback IDs instead of errors
    // title scheme
    int titleWords = 5;
    // textual scheme
    UniqueIdOptions unique;
    UserIdHistory userHistory = UserIdHistory::LeakFree;
    std::filesystem::path generatorCheckpoint; // empty: the project's, warm-started when missing
    GeneratorWarmupOptions warmup;             // how a missing generator is warm-started
    int groups = 10;                           // candidates per try (Algorithm 1's G)
    int maxSourceTokens = 256;                 // tokens of an item's (or a user's) text the generator reads
    std::string device = "cpu";
    // Options of the registry's other schemes by name (the CLI flag without "--"): typed JSON or
    // the text the user typed; each scheme parses them into its own options struct.
    nlohmann::json schemeOptions = nlohmann::json::object();
    // Data-parallel assignment (train/distributed/; the textual scheme only): this process is one
    // rank of the group; the ranks share the generator's searches (GeneratorCandidateSource::
    // setGroup) and rank 0 alone writes. Not part of the IDs' record: any number of ranks gives
    // the same IDs.
    ProcessGroupContext *group = nullptr;

    // Throws an Error naming the bad or misplaced option.
    void validate() const;
    std::string effectiveName() const;
    // Everything that shaped the IDs (stored with the snapshot and in the job journal).
    nlohmann::json toJson() const;
};

} // namespace idgen
