#include "model/Autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the CUDA-only autocast calls (now deprecated, warnings are errors here)
// with per-device ones; 1.13 on the CPU machines has only the old ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define IDGEN_AUTOCAST_PER_DEVICE 1
#endif

namespace idgen {
namespace {

bool cudaAutocastEnabled()
{
#ifdef IDGEN_AUTOCAST_PER_DEVICE
    return at::autocast::is_autocast_enabled(at::kCUDA);
#else
    return at::autocast::is_enabled();
#endif
}

void setCudaAutocast(bool enabled, c10::ScalarType dtype)
{
#ifdef IDGEN_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(enabled);
#endif
}

c10::ScalarType cudaAutocastDtype()
{
#ifdef IDGEN_AUTOCAST_PER_DEVICE
    return at::autocast::get_autocast_dtype(at::kCUDA);
#else
    return at::autocast::get_autocast_gpu_dtype();
#endif
}

} // namespace

AutocastScope::AutocastScope(const c10::Device &device, bool bf16)
{
    if (!bf16 || !device.is_cuda())
        return;
    m_active = true;
    m_previousEnabled = cudaAutocastEnabled();
    m_previousDtype = cudaAutocastDtype();
    setCudaAutocast(true, c10::ScalarType::BFloat16);
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope()
{
    if (!m_active)
        return;
    // As Python's torch.autocast does on exit: the cast-weight cache would otherwise hold bf16
    // copies of weights that the optimizer has since changed.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    setCudaAutocast(m_previousEnabled, m_previousDtype);
}

} // namespace idgen
