#pragma once

#include "data/DemoDataset.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <QStringList>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <functional>
#include <string>

namespace idgen::test {

// A fresh temporary folder per test; files written into it vanish with it.
class Scratch {
public:
    Scratch();
    std::filesystem::path path(const std::string &name) const;
    // Writes bytes to a file in the folder and returns its path.
    std::filesystem::path write(const std::string &name, const std::string &content) const;
    // Writes gzip-compressed bytes.
    std::filesystem::path writeGzip(const std::string &name, const std::string &content) const;

private:
    QTemporaryDir m_dir;
};

std::filesystem::path fixture(const std::string &relative);
// The shared datasets folder, or empty when it is absent (tests then QSKIP).
std::filesystem::path sharedDatasets();
std::string readFile(const std::filesystem::path &path);

// The idgenrec CLI built with the tests, run to its end: exit code (-1 and err "timed out" when it
// ran past timeoutMs), stdout and stderr.
struct CliResult {
    int code = -1;
    std::string out;
    std::string err;
    std::string all() const { return out + err; }
};
CliResult runCli(const QStringList &arguments, int timeoutMs = 600000);
// A command's last non-empty output line as JSON: with --json, its summary after any progress events.
nlohmann::json lastJsonLine(const std::string &out);

// A project at `path` holding a generated demo dataset "demo" (these options) and its trained
// "default" tokenizer of `vocab` pieces: where the model tests start.
void createDemoProject(const std::filesystem::path &path, const DemoOptions &options, int vocab);

// The message of the idgen::Error that action throws; empty when it throws none.
QString errorOf(const std::function<void()> &action);
// The InputError that action throws; one with line 0 and an empty message when none.
InputError inputErrorOf(const std::function<void()> &action);

} // namespace idgen::test

// Skips the current test with a clear message when ../shared/datasets is missing.
#define IDGEN_REQUIRE_SHARED_DATASETS()                                                                  \
    do {                                                                                                 \
        if (idgen::test::sharedDatasets().empty())                                                       \
            QSKIP("shared datasets not found at " IDGEN_SHARED_DATASETS                                  \
                  " (set -DIDGEN_SHARED_DATASETS=...); skipping tests on real data");                    \
    } while (false)
