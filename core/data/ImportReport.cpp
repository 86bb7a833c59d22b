#include "data/ImportReport.h"

namespace idgen {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ImportReport, format, itemsFormat, files, interactionRows, skippedRows,
                                                kcore, kcoreIterations, kcoreRemovedUsers, kcoreRemovedItems,
                                                kcoreRemovedInteractions, metadataRecords, metadataIgnored, metadataDuplicates,
                                                itemsWithoutText, timestampTies, warnings, seconds)

nlohmann::json toJson(const ImportReport &report)
{
    return report;
}

ImportReport importReportFromJson(const nlohmann::json &json)
{
    return json.get<ImportReport>();
}

} // namespace idgen
