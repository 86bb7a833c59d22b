#pragma once

#include <string>

namespace idgen {

// Column mapping for the generic delimited-file importer. Columns are named by header name or
// by 0-based number.
struct CsvOptions {
    char delimiter = 0; // 0: detect (tab, comma, semicolon, '|')
    bool header = true;
    std::string userColumn = "user_id";
    std::string itemColumn = "item_id";
    std::string timeColumn;        // optional
    std::string itemIdColumn = "item_id"; // in an items file
    std::string timeFormat;        // empty: numeric epoch seconds; otherwise strptime format
};

} // namespace idgen
