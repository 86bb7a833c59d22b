#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

namespace idgen {

// The text of a config file; an InputError when it is missing or larger than kMaxConfigBytes.
std::string readConfigText(const std::filesystem::path &path);

// A TOML config read strictly (toml++ behind this interface, so only ConfigFile.cpp pays for its
// headers). Every key a reader does not ask for is an error: finish() throws an InputError naming
// the first unknown key with its file and line, so a typo never silently falls back to a default.
// Values of the wrong type, or out of range, are InputErrors naming the key too.
class ConfigTable {
public:
    static ConfigTable parseFile(const std::filesystem::path &path);
    static ConfigTable parseText(const std::string &text, const std::string &source);

    ConfigTable(ConfigTable &&) noexcept;
    ConfigTable &operator=(ConfigTable &&) noexcept;
    ~ConfigTable();

    bool has(const std::string &key) const;
    // A sub-table ([section]); an empty one when absent (its keys then all take defaults).
    ConfigTable section(const std::string &key);

    std::int64_t integer(const std::string &key, std::int64_t fallback);
    double real(const std::string &key, double fallback); // integers are accepted as reals
    bool boolean(const std::string &key, bool fallback);
    std::string string(const std::string &key, const std::string &fallback);

    // Throws an InputError for a value outside [low, high], naming key, file and line.
    std::int64_t integerIn(const std::string &key, std::int64_t fallback, std::int64_t low, std::int64_t high);
    double realIn(const std::string &key, double fallback, double low, double high);
    std::string oneOf(const std::string &key, const std::string &fallback, const std::set<std::string> &allowed);

    // Throws an InputError about this table's key, naming key, file and line (for checks the
    // readers above cannot express).
    [[noreturn]] void fail(const std::string &key, const std::string &problem) const;

    // Throws for the first key of this table (and of the sections read from it) nobody asked for.
    void finish() const;

    const std::string &source() const;

private:
    struct Impl;
    explicit ConfigTable(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m;
};

} // namespace idgen
