#include "util/Hash.h"

#include "util/Error.h"

#include <xxhash.h>

#include <cstdio>

namespace idgen {

struct ContentHasher::State {
    XXH3_state_t *xxh = XXH3_createState();
    ~State() { XXH3_freeState(xxh); }
};

ContentHasher::ContentHasher()
    : m_state(std::make_unique<State>())
{
    if (!m_state->xxh || XXH3_128bits_reset(m_state->xxh) != XXH_OK)
        throw Error("cannot initialise the content hash");
}

ContentHasher::~ContentHasher() = default;

void ContentHasher::add(std::string_view bytes)
{
    XXH3_128bits_update(m_state->xxh, bytes.data(), bytes.size());
}

void ContentHasher::addField(std::string_view bytes)
{
    add(bytes);
    add(std::string_view("\x1f", 1));
}

void ContentHasher::addInteger(std::int64_t value)
{
    XXH3_128bits_update(m_state->xxh, &value, sizeof value);
}

std::string ContentHasher::hex() const
{
    const XXH128_hash_t digest = XXH3_128bits_digest(m_state->xxh);
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(digest.high64),
                  static_cast<unsigned long long>(digest.low64));
    return text;
}

} // namespace idgen
