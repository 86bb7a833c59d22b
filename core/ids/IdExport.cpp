#include "ids/IdExport.h"

#include "ids/IdSnapshotRepository.h"
#include "util/Error.h"

#include <fstream>

namespace idgen {

std::size_t exportIds(const Database &db, std::int64_t snapshot, IdKind kind, const std::filesystem::path &out)
{
    const auto entries = IdSnapshotRepository(db).entries(snapshot, kind);
    if (entries.empty())
        throw Error("ID snapshot " + std::to_string(snapshot) + " has no " + idKindName(kind) + " IDs");
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    if (!file)
        throw Error("cannot write " + out.string());
    for (const auto &entry : entries)
        file << entry.rawId << ' ' << entry.text << '\n';
    file.close();
    if (!file)
        throw Error("writing " + out.string() + " failed (disk full?)");
    return entries.size();
}

} // namespace idgen
