// Import benchmark, run by hand (never part of ctest).
//
//   bench_import [--interactions N] [--keep]
//       Writes a deterministic sequence-format file of N interactions (default 5,000,000: about
//       500k users with Amazon-like reviewer ids, 100k ASIN-like items with a Zipf-like
//       popularity) into a temporary folder, times idgen::runImport into a fresh project file and
//       prints one JSON line: interactions, seconds, rows_per_s, read_seconds, write_seconds,
//       peak_rss_mb (VmHWM), plus the file's size. --keep leaves the folder in place; each
//       --pragma "NAME = VALUE" runs on the project before the import (to try SQLite settings).
//
//   bench_import --yelp FILE [--lines N] [--words W]
//       Only writes a synthetic Yelp review.json (default 316,000 lines, texts of ~150 words) so
//       the Yelp import can be timed with the CLI: `idgenrec import --interactions FILE ...`.
#include "jobs/ImportJob.h"
#include "store/Database.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// splitmix64: deterministic on every platform, unlike std:: distributions.
std::uint64_t mix64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Random {
public:
    explicit Random(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() { return mix64(m_state += 0x9e3779b97f4a7c15ULL); }
    std::uint64_t below(std::uint64_t bound) { return next() % bound; } // bias is irrelevant here

private:
    std::uint64_t m_state;
};

// Zipf-Mandelbrot popularity with integer weights 10^12 / (rank + shift): a head of bestsellers
// without one item taking a tenth of all interactions, and a long tail.
class ZipfPicker {
public:
    ZipfPicker(std::size_t count, std::uint64_t shift)
    {
        m_cumulative.reserve(count);
        std::uint64_t total = 0;
        for (std::size_t rank = 0; rank < count; ++rank)
            m_cumulative.push_back(total += 1'000'000'000'000ULL / (rank + shift));
    }
    std::size_t pick(Random &random) const
    {
        const std::uint64_t r = random.below(m_cumulative.back());
        return static_cast<std::size_t>(std::upper_bound(m_cumulative.begin(), m_cumulative.end(), r) -
                                        m_cumulative.begin());
    }

private:
    std::vector<std::uint64_t> m_cumulative;
};

// Appends `width` base-36 digits of value (upper case), most significant first.
void appendBase36(std::string &out, std::uint64_t value, int width)
{
    static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const std::size_t end = out.size() + static_cast<std::size_t>(width);
    out.resize(end);
    for (std::size_t i = end; i-- > end - static_cast<std::size_t>(width);) {
        out[i] = kDigits[value % 36];
        value /= 36;
    }
}

// "B0" + 8 base-36 digits like an ASIN; an affine map modulo 36^8 keeps them unique.
void appendAsin(std::string &out, std::uint64_t item)
{
    constexpr std::uint64_t kSpace = 2'821'109'907'456ULL; // 36^8
    out += "B0";
    appendBase36(out, (item * 2'654'435'761ULL + 48'271ULL) % kSpace, 8);
}

// "A" + 13 base-36 digits like an Amazon reviewer id; mix64 is a bijection, so ids are unique.
void appendReviewerId(std::string &out, std::uint64_t user)
{
    out += 'A';
    appendBase36(out, mix64(user + 0x5bd1e995ULL), 13);
}

class BufferedFile {
public:
    explicit BufferedFile(const std::string &path) : m_file(std::fopen(path.c_str(), "wb"))
    {
        if (!m_file)
            throw idgen::Error("cannot write " + path);
        m_buffer.reserve(kFlushAt + 4096);
    }
    ~BufferedFile() { close(); }
    std::string &buffer() { return m_buffer; }
    void maybeFlush()
    {
        if (m_buffer.size() >= kFlushAt)
            flush();
    }
    std::uint64_t close()
    {
        if (m_file) {
            flush();
            std::fclose(m_file);
            m_file = nullptr;
        }
        return m_written;
    }

private:
    static constexpr std::size_t kFlushAt = 1 << 20;
    void flush()
    {
        if (std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
            throw idgen::Error("write failed (disk full?)");
        m_written += m_buffer.size();
        m_buffer.clear();
    }
    std::FILE *m_file;
    std::string m_buffer;
    std::uint64_t m_written = 0;
};

struct SequenceFile {
    std::uint64_t users = 0;
    std::uint64_t items = 0;
    std::uint64_t bytes = 0;
};

// One user a line, oldest first: 3 + a geometric number of items (mean 10), Zipf items,
// no immediate repeats; exactly `interactions` items in all.
SequenceFile writeSequenceFile(const std::string &path, std::uint64_t interactions)
{
    const std::uint64_t itemCount = std::max<std::uint64_t>(1000, interactions / 50);
    const ZipfPicker popularity(itemCount, 50);
    Random random(20240714);
    BufferedFile file(path);
    std::string &out = file.buffer();
    SequenceFile info;
    info.items = itemCount;
    std::uint64_t written = 0;
    while (written < interactions) {
        std::uint64_t length = 3;
        while (length < 200 && random.below(8) != 0)
            ++length;
        length = std::min(length, interactions - written);
        appendReviewerId(out, info.users++);
        std::uint64_t previous = itemCount;
        for (std::uint64_t i = 0; i < length; ++i) {
            std::uint64_t item = popularity.pick(random);
            while (item == previous)
                item = popularity.pick(random);
            previous = item;
            out += ' ';
            appendAsin(out, item);
        }
        out += '\n';
        written += length;
        file.maybeFlush();
    }
    info.bytes = file.close();
    return info;
}

// Notes when the import job enters its writing stage (ImportContext reports each stage's start
// at once), which splits runImport's time into reading and writing.
class StageClock : public idgen::JobEvents {
public:
    std::optional<Clock::time_point> writingStarted;
    void progress(double, std::string_view stage) override
    {
        if (!writingStarted && stage == "writing the project file")
            writingStarted = Clock::now();
    }
};

double peakRssMb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::strtod(line.c_str() + 6, nullptr) / 1024.0; // the kernel reports kB
    }
    return -1.0;
}

void resetPeakRss()
{
    // Linux >= 4.0: "5" resets VmHWM, so the peak is the import's and not the generator's.
    std::ofstream("/proc/self/clear_refs") << "5";
}

int runSequenceBenchmark(std::uint64_t interactions, bool keep, const std::vector<std::string> &pragmas)
{
    std::string folderTemplate = (std::filesystem::temp_directory_path() / "idgen-bench-XXXXXX").string();
    if (!mkdtemp(folderTemplate.data()))
        throw idgen::Error("cannot create a temporary folder");
    const std::filesystem::path folder = folderTemplate;
    const std::filesystem::path input = folder / "user_sequence.txt";
    const std::filesystem::path project = folder / "bench.idgenrec";

    const auto generating = Clock::now();
    const SequenceFile file = writeSequenceFile(input.string(), interactions);
    std::cerr << "wrote " << input.string() << ": " << file.users << " users, " << file.items << " items, "
              << file.bytes / 1e6 << " MB in " << secondsSince(generating) << " s\n";

    idgen::ImportOptions options;
    options.name = "bench";
    options.sources.interactions = input;
    options.format = "sequence";
    StageClock clock;
    double seconds = 0.0;
    double readSeconds = 0.0;
    double writeSeconds = 0.0;
    idgen::DatasetInfo info;
    {
        idgen::Database db(project); // a fresh project file; opening it is not part of the import
        for (const std::string &pragma : pragmas)
            db.exec("PRAGMA " + pragma);
        resetPeakRss();
        const auto started = Clock::now();
        info = idgen::runImport(db, options, clock);
        const auto finished = Clock::now();
        seconds = std::chrono::duration<double>(finished - started).count();
        const auto writing = clock.writingStarted.value_or(finished);
        readSeconds = std::chrono::duration<double>(writing - started).count();
        writeSeconds = std::chrono::duration<double>(finished - writing).count();
    }
    const double peak = peakRssMb();
    if (static_cast<std::uint64_t>(info.interactions) != interactions)
        throw idgen::Error("the import stored " + std::to_string(info.interactions) + " interactions, expected " +
                           std::to_string(interactions));

    nlohmann::ordered_json result;
    result["interactions"] = interactions;
    result["seconds"] = seconds;
    result["rows_per_s"] = static_cast<double>(interactions) / seconds;
    result["read_seconds"] = readSeconds;
    result["write_seconds"] = writeSeconds;
    result["peak_rss_mb"] = peak;
    result["users"] = info.users;
    result["items"] = info.items;
    result["file_mb"] = static_cast<double>(file.bytes) / 1e6;
    result["project_mb"] = static_cast<double>(std::filesystem::file_size(project)) / 1e6;
    std::cout << result.dump() << std::endl;

    if (keep)
        std::cerr << "kept " << folder.string() << "\n";
    else
        std::filesystem::remove_all(folder);
    return 0;
}

// --- Yelp -----------------------------------------------------------------------------------

// 22 characters of Yelp's URL-safe alphabet; the first 64 bits are a bijection of the index.
void appendYelpId(std::string &out, std::uint64_t index, std::uint64_t salt)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::uint64_t high = mix64(index ^ salt);
    std::uint64_t low = mix64(high + salt);
    for (int i = 0; i < 22; ++i) {
        std::uint64_t &bits = i < 10 ? high : low;
        out += kAlphabet[bits & 63];
        bits >>= 6;
    }
}

// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
void appendDateTime(std::string &out, std::int64_t seconds)
{
    const std::int64_t days = seconds / 86400;
    const std::int64_t secondOfDay = seconds % 86400;
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", static_cast<int>(year),
                  static_cast<int>(month), static_cast<int>(day), static_cast<int>(secondOfDay / 3600),
                  static_cast<int>(secondOfDay / 60 % 60), static_cast<int>(secondOfDay % 60));
    out += buffer;
}

// Review prose: sentences from a restaurant vocabulary, with the things real texts hold that a
// JSON reader must skip correctly: escaped quotes, escaped newlines, multi-byte UTF-8.
const std::vector<std::string> &reviewWords()
{
    static const std::vector<std::string> words = {
        "the", "food", "was", "really", "good", "and", "service", "friendly", "we", "ordered", "a", "pizza",
        "with", "extra", "cheese", "but", "it", "took", "forever", "to", "arrive", "our", "server", "came", "back",
        "twice", "great", "place", "for", "brunch", "coffee", "is", "strong", "prices", "are", "reasonable",
        "definitely", "coming", "again", "atmosphere", "cozy", "loud", "on", "weekends", "parking", "can", "be",
        "tricky", "tacos", "salsa", "fresh", "burger", "fries", "were", "cold", "staff", "manager", "apologized",
        "dessert", "amazing", "portion", "huge", "small", "menu", "options", "vegetarian", "spicy", "noodles",
        "soup", "bread", "wine", "list", "happy", "hour", "deals", "table", "wait", "minutes", "reservation",
        "recommend", "this", "spot", "to", "anyone", "in", "town", "my", "husband", "wife", "friends", "kids",
        "loved", "hated", "okay", "nothing", "special", "best", "worst", "ever", "had", "I", "have", "been",
        "here", "times", "always", "never", "disappointed", "delicious", "bland", "salty", "sweet", "crispy",
        "chicken", "steak", "medium", "rare", "sushi", "rolls", "ramen", "broth", "rich", "flavor", "patio",
        "outside", "dog", "friendly", "clean", "dirty", "bathroom", "decor", "music", "vibe", "date", "night",
        "lunch", "dinner", "breakfast", "pancakes", "eggs", "bacon", "avocado", "toast", "smoothie", "tea",
        "latte", "croissant", "bakery", "sandwich", "salad", "dressing", "side", "of", "rice", "beans", "curry",
        "naan", "pho", "banh", "mi", "dumplings", "bbq", "ribs", "brisket", "sauce", "café", "jalapeño",
        "crème", "brûlée", "piña", "colada", "über", "naïve", "😋", "👍"};
    return words;
}

void appendReviewText(std::string &out, Random &random, std::uint64_t wordCount)
{
    const auto &words = reviewWords();
    bool sentenceStart = true;
    for (std::uint64_t i = 0; i < wordCount; ++i) {
        const std::string &word = words[random.below(words.size())];
        if (i > 0)
            out += ' ';
        const bool quoted = random.below(200) == 0;
        if (quoted)
            out += "\\\"";
        if (sentenceStart && word[0] >= 'a' && word[0] <= 'z') {
            out += static_cast<char>(word[0] - 'a' + 'A');
            out.append(word, 1);
        } else {
            out += word;
        }
        if (quoted)
            out += "\\\"";
        sentenceStart = false;
        if (i + 1 < wordCount && random.below(12) == 0) {
            out += random.below(5) == 0 ? "!" : ".";
            sentenceStart = true;
            if (random.below(8) == 0) {
                out += "\\n\\n";
                sentenceStart = true;
            }
        } else if (random.below(25) == 0) {
            out += ',';
        }
    }
    out += '.';
}

std::uint64_t smallCount(Random &random)
{
    std::uint64_t count = 0;
    while (count < 500 && random.below(3) == 0)
        ++count;
    return count;
}

int writeYelp(const std::string &path, std::uint64_t lines, std::uint64_t meanWords)
{
    const auto started = Clock::now();
    // Yelp's proportions: ~3.5 reviews per user, ~45 per business, both heavy-tailed.
    const std::uint64_t users = std::max<std::uint64_t>(10, lines * 2 / 7);
    const std::uint64_t businesses = std::max<std::uint64_t>(10, lines / 45);
    const ZipfPicker userPicker(users, 20);
    const ZipfPicker businessPicker(businesses, 10);
    constexpr std::int64_t kFirst = 1104537600; // 2005-01-01
    constexpr std::int64_t kLast = 1642550400;  // 2022-01-19
    Random random(20240714);
    BufferedFile file(path);
    std::string &out = file.buffer();
    for (std::uint64_t line = 0; line < lines; ++line) {
        out += "{\"review_id\":\"";
        appendYelpId(out, line, 0x72657669ULL);
        out += "\",\"user_id\":\"";
        appendYelpId(out, userPicker.pick(random), 0x75736572ULL);
        out += "\",\"business_id\":\"";
        appendYelpId(out, businessPicker.pick(random), 0x62757369ULL);
        static const char *kStars[] = {"1.0", "2.0", "3.0", "4.0", "4.0", "5.0", "5.0", "5.0"};
        out += "\",\"stars\":";
        out += kStars[random.below(8)];
        out += ",\"useful\":" + std::to_string(smallCount(random));
        out += ",\"funny\":" + std::to_string(smallCount(random) / 2);
        out += ",\"cool\":" + std::to_string(smallCount(random) / 2);
        out += ",\"text\":\"";
        appendReviewText(out, random, 5 + meanWords / 2 + random.below(meanWords + 1));
        out += "\",\"date\":\"";
        appendDateTime(out, kFirst + static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(kLast - kFirst))));
        out += "\"}\n";
        file.maybeFlush();
    }
    const std::uint64_t bytes = file.close();
    nlohmann::ordered_json result;
    result["file"] = path;
    result["lines"] = lines;
    result["mb"] = static_cast<double>(bytes) / 1e6;
    result["seconds"] = secondsSince(started);
    std::cout << result.dump() << std::endl;
    return 0;
}

std::uint64_t positiveNumber(const std::string &flag, const char *text)
{
    char *end = nullptr;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (!text[0] || *end || value == 0)
        throw idgen::Error(flag + " expects a positive integer, got '" + text + "'");
    return value;
}

void usage()
{
    std::cerr << "usage: bench_import [--interactions N] [--keep] [--pragma 'NAME = VALUE' ...]\n"
                 "       bench_import --yelp FILE [--lines N] [--words W]\n";
}

} // namespace

int main(int argc, char **argv)
{
    try {
        std::uint64_t interactions = 5'000'000;
        std::uint64_t lines = 316'000;
        std::uint64_t words = 150;
        std::optional<std::string> yelp;
        bool keep = false;
        std::vector<std::string> pragmas;
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            const bool hasValue = i + 1 < argc;
            if (arg == "--interactions" && hasValue)
                interactions = positiveNumber(arg, argv[++i]);
            else if (arg == "--yelp" && hasValue)
                yelp = argv[++i];
            else if (arg == "--lines" && hasValue)
                lines = positiveNumber(arg, argv[++i]);
            else if (arg == "--words" && hasValue)
                words = positiveNumber(arg, argv[++i]);
            else if (arg == "--pragma" && hasValue)
                pragmas.emplace_back(argv[++i]);
            else if (arg == "--keep")
                keep = true;
            else {
                usage();
                return 2;
            }
        }
        return yelp ? writeYelp(*yelp, lines, words) : runSequenceBenchmark(interactions, keep, pragmas);
    } catch (const std::exception &error) {
        std::cerr << "bench_import: " << error.what() << "\n";
        return 1;
    }
}
