#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace idgen {

// Parses one Python literal (dict, list, tuple, str, int, float, True/False/None) into JSON:
// tuples become arrays, dict keys become strings. The Amazon 2014 metadata files hold one such
// literal per line. Throws idgen::Error with the byte offset of the problem.
nlohmann::ordered_json parsePythonLiteral(std::string_view text);

} // namespace idgen
