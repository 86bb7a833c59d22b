#pragma once

#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

namespace idgen::ui {

// Rows of a large query kept as fixed-size pages, the least recently used evicted first, so a
// table over 100k rows holds only what was looked at lately. Pages are filled by whoever loads
// them (a background reader); the cache only stores and evicts.
template <typename Row>
class PageCache {
public:
    explicit PageCache(int pageSize = 256, int maxPages = 32) : m_pageSize(pageSize), m_maxPages(maxPages) {}

    int pageSize() const { return m_pageSize; }
    std::int64_t pageOf(std::int64_t row) const { return row / m_pageSize; }
    std::size_t cachedPages() const { return m_pages.size(); }
    void clear() { m_pages.clear(); m_order.clear(); }

    // The row, or nullptr when its page is not loaded (or the page ended before it).
    const Row *find(std::int64_t row)
    {
        if (row < 0)
            return nullptr;
        const auto found = m_pages.find(pageOf(row));
        if (found == m_pages.end())
            return nullptr;
        m_order.splice(m_order.begin(), m_order, found->second.position); // most recently used
        const auto &rows = found->second.rows;
        const auto index = static_cast<std::size_t>(row - found->first * m_pageSize);
        return index < rows.size() ? &rows[index] : nullptr;
    }

    void insert(std::int64_t page, std::vector<Row> rows)
    {
        if (const auto old = m_pages.find(page); old != m_pages.end()) {
            m_order.erase(old->second.position);
            m_pages.erase(old);
        }
        m_order.push_front(page);
        m_pages.emplace(page, Entry{std::move(rows), m_order.begin()});
        while (static_cast<int>(m_pages.size()) > m_maxPages) {
            m_pages.erase(m_order.back());
            m_order.pop_back();
        }
    }

private:
    struct Entry {
        std::vector<Row> rows;
        std::list<std::int64_t>::iterator position;
    };
    int m_pageSize;
    int m_maxPages;
    std::unordered_map<std::int64_t, Entry> m_pages;
    std::list<std::int64_t> m_order; // most recently used first
};

} // namespace idgen::ui
