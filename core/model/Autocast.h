#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

namespace idgen {

// Mixed precision for one thread and one scope: with a CUDA device and bf16 requested, matmuls and
// linears inside run in bfloat16 while weights, layer norms, softmax and the loss stay float32 (the
// T5 code casts those itself). On a CPU device it does nothing: CPU training is float32 throughout.
class AutocastScope {
public:
    AutocastScope(const c10::Device &device, bool bf16);
    ~AutocastScope();
    AutocastScope(const AutocastScope &) = delete;
    AutocastScope &operator=(const AutocastScope &) = delete;

    bool active() const { return m_active; }

private:
    bool m_active = false;
    bool m_previousEnabled = false;
    c10::ScalarType m_previousDtype = c10::ScalarType::Half;
};

} // namespace idgen
