#include "util/InputLimits.h"

#include "util/Error.h"
#include "util/TextReader.h"

#include <cstdio>
#include <fstream>

namespace idgen {

std::uint64_t availableMemoryBytes()
{
    constexpr std::uint64_t kUnknown = std::uint64_t{1} << 30;
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit) {
        if (key == "MemAvailable:")
            return kib * 1024;
    }
    return kUnknown;
}

std::uint64_t wholeFileBudgetBytes()
{
    return availableMemoryBytes() / 2;
}

std::string byteSizeText(std::uint64_t bytes)
{
    const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0)
        return std::to_string(bytes) + " bytes";
    char text[32];
    std::snprintf(text, sizeof text, value < 10.0 && value != static_cast<double>(static_cast<int>(value)) ? "%.1f %s" : "%.0f %s",
                  value, units[unit]);
    return text;
}

std::string readWholeTextFile(const std::filesystem::path &path, std::uint64_t maxBytes)
{
    const std::uint64_t budget = maxBytes > 0 ? maxBytes : wholeFileBudgetBytes();
    TextReader reader(path);
    std::string text;
    std::string_view line;
    while (reader.nextLine(line)) {
        if (text.size() + line.size() + 1 > budget)
            throw InputError(reader.fileName(), reader.lineNumber(), "",
                             "the file inflates to more than " + byteSizeText(budget) +
                                 " of text, more than this reader may hold in memory" +
                                 (maxBytes > 0 ? std::string()
                                               : " (half of the " + byteSizeText(availableMemoryBytes()) +
                                                     " available now)") +
                                 "; is it the right file?");
        text.append(line);
        text.push_back('\n');
    }
    return text;
}

} // namespace idgen
