// Placeholder: the textual scheme is written alongside the decoder (core/decode) and replaces
// this file.
#include "ids/TextualScheme.h"

#include "util/Error.h"

namespace idgen {

IdSnapshot assignTextualIds(const Database &db, const Dataset &dataset, const Tokenizer &tokenizer,
                            const IdAssignmentOptions &options, JobEvents &events, StopToken stop)
{
    (void)db, (void)dataset, (void)tokenizer, (void)options, (void)events, (void)stop;
    throw Error("textual scheme: not built yet");
}

} // namespace idgen
