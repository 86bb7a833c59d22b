#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace idgen {

// Streaming 128-bit content hash (XXH3-128), printed as 32 hex digits. Identifies a dataset's
// content so runs can record exactly what they were trained on; not a cryptographic hash.
class ContentHasher {
public:
    ContentHasher();
    ~ContentHasher();
    ContentHasher(const ContentHasher &) = delete;
    ContentHasher &operator=(const ContentHasher &) = delete;

    void add(std::string_view bytes);
    // Adds a field followed by a separator, so ("ab","c") and ("a","bc") hash differently.
    void addField(std::string_view bytes);
    void addInteger(std::int64_t value);
    std::string hex() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace idgen
