#include "jobs/JobEvents.h"

#include "util/Error.h"

namespace idgen {

void StopToken::throwIfRequested() const
{
    if (stopRequested())
        throw Cancelled();
}

} // namespace idgen
