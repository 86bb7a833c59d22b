#include "data/SequenceExport.h"

#include "util/Error.h"

#include <fstream>

namespace idgen {

void writeSequenceFile(const Dataset &dataset, const std::filesystem::path &path)
{
    std::ofstream out(path, std::ios::binary);
    if (!out)
        throw Error("cannot write " + path.string());
    std::string line;
    for (std::size_t user = 0; user < dataset.userCount(); ++user) {
        line = dataset.userRawIds[user];
        for (const auto item : dataset.sequence(user)) {
            line.push_back(' ');
            line += dataset.itemRawIds[item];
        }
        line.push_back('\n');
        out << line;
    }
    out.close();
    if (!out)
        throw Error("error while writing " + path.string());
}

} // namespace idgen
