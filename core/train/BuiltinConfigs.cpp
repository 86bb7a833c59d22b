#include "train/BuiltinConfigs.h"

#include "util/ConfigFile.h"
#include "util/Error.h"

#include <filesystem>

namespace idgen {

ConfigSource resolveConfig(const std::string &nameOrPath)
{
    for (const auto &config : builtinConfigs())
        if (nameOrPath == config.name)
            return {config.name, std::string("built-in config '") + config.name + "'", config.text};
    const std::filesystem::path path(nameOrPath);
    if (std::filesystem::is_regular_file(path))
        return {path.stem().string(), path.string(), readConfigText(path)};
    std::string names;
    for (const auto &config : builtinConfigs())
        names += (names.empty() ? "" : ", ") + std::string(config.name);
    throw Error("config '" + nameOrPath + "' is neither a built-in config (" + names + ") nor a file");
}

} // namespace idgen
