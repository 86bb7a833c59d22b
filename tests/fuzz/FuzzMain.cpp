// The libFuzzer entry point of one target (IDGEN_FUZZ_TARGET, see FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    idgen::fuzz::runTarget(IDGEN_FUZZ_TARGET, data, size);
    return 0;
}
