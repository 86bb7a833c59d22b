#pragma once

#include "jobs/JobEvents.h"

namespace idgen::cli {

// While alive, Ctrl-C (SIGINT) or SIGTERM (`timeout`, a scheduler's end of slice) asks the
// running job to stop at its next safe point (a training run checkpoints and ends as "stopped")
// instead of killing the process; a second signal kills the process as usual. One at a time.
class CtrlCStop {
public:
    CtrlCStop();
    ~CtrlCStop();
    CtrlCStop(const CtrlCStop &) = delete;
    CtrlCStop &operator=(const CtrlCStop &) = delete;

    StopToken token() const;
};

} // namespace idgen::cli
