#pragma once

#include <optional>
#include <string>
#include <vector>

namespace idgen {

// The TOML configs shipped in resources/configs/, compiled in (core/train/EmbedConfigs.cmake).
struct BuiltinConfig {
    const char *name; // the file stem: "demo", "beauty-cpu", "sasrec", ...
    const char *text;
};

const std::vector<BuiltinConfig> &builtinConfigs();

// A config's text and a name for messages: a built-in config by name, else the file at that path.
// Throws an Error listing the built-in names when it is neither.
struct ConfigSource {
    std::string name;   // "demo" or the file's stem
    std::string origin; // "built-in demo" or the file path, for error messages
    std::string text;
};
ConfigSource resolveConfig(const std::string &nameOrPath);

} // namespace idgen
