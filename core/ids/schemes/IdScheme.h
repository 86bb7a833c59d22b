#pragma once

// ID schemes: the ways of turning a dataset's items (and users) into token sequences, behind one
// interface and one registry, as the importers' formats (data/formats/Format.h).
//
// How a new scheme registers (e.g. `rqvae`):
//   1. Write core/ids/schemes/RqvaeIdScheme.cpp (or a folder core/ids/schemes/rqvae/ for a larger
//      one) with a class deriving from IdScheme in an anonymous namespace, and a factory
//      `std::unique_ptr<IdScheme> makeRqvaeIdScheme()` declared in ids/schemes/Schemes.h.
//   2. Add one line `list.push_back(makeRqvaeIdScheme());` to allIdSchemes() in IdScheme.cpp; the
//      order there is the order users see (`idgenrec ids schemes`).
//   3. Declare the scheme's options in options() (name = the CLI flag without "--", its help and
//      its default, whose JSON type is the option's type). The CLI registers a flag for every
//      declared option of every scheme; the values the user gave arrive in
//      IdAssignmentOptions::schemeOptions, keyed by name. Parse them into the scheme's own options
//      struct with SchemeOptionReader (range checks throw an Error naming the flag), and return that
//      struct as JSON from recordedOptions(), defaults included: it is stored with the snapshot.
//      Option names are shared between schemes (`--seed`): declare the same default and meaning.
//   4. assign() returns the snapshot's items (and users: numberedUserIds() unless the scheme has
//      its own), the tokens it adds to the vocabulary (IdSnapshot::addedTokens, written like
//      `<a_17>`, ids from input.tokenizer.vocabSize() up), and its record (IdSchemeRecord:
//      collisions before de-duplication, code usage per level). assignIds (IdAssignmentJob.h) fills
//      in the identity fields, the seconds and the mean ID length, and saves the snapshot through
//      IdSnapshotRepository; schemes never write to the project themselves.
//   5. Say what it needs in needs(): a scheme that needs the project (a generator model, a trained
//      baseline run, stored embeddings) gets input.db; buildIdSnapshot() runs schemes without one.

#include "data/Dataset.h"
#include "ids/IdAssignmentOptions.h"
#include "ids/IdSnapshot.h"
#include "jobs/JobEvents.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

class Database;
class Tokenizer;

// What a scheme needs besides the dataset and its tokenizer.
struct IdSchemeNeeds {
    bool generatorModel = false; // an ID generator checkpoint (warm-started when missing)
    bool itemText = false;       // item titles or other text fields
    bool embeddings = false;     // item embeddings (computed from text or given as a file)
    bool baselineRun = false;    // a trained baseline run (e.g. sasrec-ce for LETTER)
    bool project = false;        // reads or writes the project beyond the dataset (input.db)
    bool inputFile = false;      // a file the user supplies (the file scheme's --from)

    // Whether it needs something the dataset alone cannot give (a generator model, a trained
    // baseline run, a file): such schemes are assigned with `idgenrec ids assign`, not from a
    // training config's [ids] scheme.
    bool external() const { return generatorModel || baselineRun || inputFile; }

    // The needs as words ("generator model", "item text", ...), for listings.
    std::vector<std::string> names() const;
};

// One option of a scheme, declared for the front ends.
struct IdSchemeOption {
    std::string name;            // the CLI flag without "--"; the key in schemeOptions
    std::string help;
    nlohmann::json defaultValue; // its JSON type is the option's type: integer, number, string or boolean
};

// What a scheme's assign() works on. db is null when the snapshot is built without a project
// (buildIdSnapshot), which only schemes whose needs() say no project accept.
struct IdSchemeInput {
    const Database *db = nullptr;
    const Dataset &dataset;
    const Tokenizer &tokenizer;
    const IdAssignmentOptions &options;
};

class IdScheme {
public:
    virtual ~IdScheme() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual IdSchemeNeeds needs() const = 0;
    virtual std::vector<IdSchemeOption> options() const { return {}; }
    // Checks options.schemeOptions (and anything else of the options the scheme reads); throws an
    // Error naming the flag. The default parses recordedOptions().
    virtual void validate(const IdAssignmentOptions &options) const { (void)recordedOptions(options); }
    // The scheme's own options as stored with the snapshot, defaults included.
    virtual nlohmann::json recordedOptions(const IdAssignmentOptions &options) const
    {
        (void)options;
        return nlohmann::json::object();
    }
    // The snapshot's IDs; identity fields, seconds and saving are the job's (see the note above).
    // Progress is the fraction of this step.
    virtual IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const = 0;
};

// All schemes, in the order they are listed to users.
const std::vector<std::unique_ptr<IdScheme>> &allIdSchemes();
// Throws an Error "ID scheme 'x' is not known (use ...)" for an unknown name.
const IdScheme &idSchemeByName(std::string_view name);
std::vector<std::string> idSchemeNames();
// "sequential, title, ..." for messages.
std::string idSchemeList();
// {"name", "description", "needs": [...], "options": [{"name", "help", "default"}]} per scheme.
nlohmann::json idSchemesJson();

// Reads a scheme's options from IdAssignmentOptions::schemeOptions, where a front end put either
// typed JSON values or the text the user typed; errors name the flag ("--clusters: ...").
class SchemeOptionReader {
public:
    explicit SchemeOptionReader(const nlohmann::json &values) : m_values(values) {}
    std::int64_t integer(const std::string &name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
    double number(const std::string &name, double fallback, double min, double max) const;
    std::string text(const std::string &name, const std::string &fallback) const;

private:
    const nlohmann::json *find(const std::string &name) const;
    const nlohmann::json &m_values;
};

} // namespace idgen
