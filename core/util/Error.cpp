#include "util/Error.h"

namespace idgen {
namespace {

std::string describe(const std::string &file, std::uint64_t line, const std::string &field,
                     const std::string &problem)
{
    std::string where = file;
    if (line > 0)
        where += ":" + std::to_string(line);
    if (!field.empty())
        where += ": field '" + field + "'";
    return where + ": " + problem;
}

} // namespace

InputError::InputError(std::string file, std::uint64_t line, std::string field, const std::string &problem)
    : Error(describe(file, line, field, problem))
    , m_file(std::move(file))
    , m_line(line)
    , m_field(std::move(field))
{
}

} // namespace idgen
