#include "train/BuiltinConfigs.h"

#include "util/Error.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace idgen {

ConfigSource resolveConfig(const std::string &nameOrPath)
{
    for (const auto &config : builtinConfigs())
        if (nameOrPath == config.name)
            return {config.name, std::string("built-in config '") + config.name + "'", config.text};
    const std::filesystem::path path(nameOrPath);
    if (std::filesystem::is_regular_file(path)) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in && !in.eof())
            throw Error("cannot read config file " + path.string());
        return {path.stem().string(), path.string(), text.str()};
    }
    std::string names;
    for (const auto &config : builtinConfigs())
        names += (names.empty() ? "" : ", ") + std::string(config.name);
    throw Error("config '" + nameOrPath + "' is neither a built-in config (" + names + ") nor a file");
}

} // namespace idgen
