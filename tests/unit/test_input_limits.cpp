// Readers refuse what no real input holds (over-long lines, ids and fields, too many columns, deep
// nesting, a .gz that inflates past memory, oversized configs and safetensors headers) with an
// InputError naming file, line and field; and metadata in another id space than the interactions
// is an error with a hint (0- vs 1-based, index vs raw id), a partial match a warning.
#include "data/formats/DelimitedReader.h"
#include "jobs/ImportJob.h"
#include "model/Safetensors.h"
#include "support/TestSupport.h"
#include "util/ConfigFile.h"
#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/PythonLiteral.h"
#include "util/TextReader.h"

#include <fstream>

using namespace idgen;
using test::errorOf;
using test::inputErrorOf;

namespace {

JobEvents quiet;

ImportOptions options(const std::filesystem::path &interactions, std::optional<std::filesystem::path> items = {},
                      std::string itemsFormat = {})
{
    ImportOptions o;
    o.name = "test";
    o.sources.interactions = interactions;
    o.sources.items = std::move(items);
    o.itemsFormat = std::move(itemsFormat);
    return o;
}

bool mentions(const std::string &text, const char *part)
{
    return text.find(part) != std::string::npos;
}

std::filesystem::path writeSafetensors(const test::Scratch &scratch, const std::string &header, std::size_t dataBytes)
{
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
    return scratch.write("weights.safetensors", bytes + header + std::string(dataBytes, '\0'));
}

} // namespace

class TestInputLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void longLineFailsNamingItsLine()
    {
        test::Scratch scratch;
        const auto file = scratch.write("lines.txt", "short\n" + std::string(500, 'x') + "\nshort\n");
        TextReader reader(file);
        reader.setMaxLineBytes(100);
        std::string_view line;
        QVERIFY(reader.nextLine(line));
        const InputError error = inputErrorOf([&] { reader.nextLine(line); });
        QCOMPARE(error.line(), std::uint64_t(2));
        QVERIFY2(mentions(error.what(), "more than the 100 bytes"), error.what());
    }

    void lineWithoutBreakStopsBufferingAtTheLimit()
    {
        // Past the reader's 1 MiB chunk: the limit is checked while the buffer grows.
        test::Scratch scratch;
        const auto file = scratch.writeGzip("one-line.txt.gz", std::string(5 << 20, 'x'));
        TextReader reader(file);
        reader.setMaxLineBytes(std::size_t{2} << 20);
        std::string_view line;
        const InputError error = inputErrorOf([&] { reader.nextLine(line); });
        QCOMPARE(error.line(), std::uint64_t(1));
        QVERIFY2(mentions(error.what(), "no line break"), error.what());
    }

    void longItemIdFailsAtItsLine()
    {
        test::Scratch scratch;
        const auto file = scratch.write("user_sequence.txt", "u1 A B\nu2 A " + std::string(kMaxIdBytes + 1, 'z') + "\n");
        const InputError error = inputErrorOf([&] { readDataset(options(file), quiet); });
        QCOMPARE(error.line(), std::uint64_t(2));
        QCOMPARE(QString::fromStdString(error.field()), QString("item id"));
        QVERIFY2(mentions(error.what(), "more than the 1 KiB"), error.what());
    }

    void longUserIdInJsonLinesFailsNamingTheKey()
    {
        test::Scratch scratch;
        const auto file = scratch.write(
            "review.json", R"({"review_id": "r1", "user_id": ")" + std::string(5000, 'u') +
                               R"(", "business_id": "b1", "date": "2016-03-09 00:00:00"})" + "\n");
        const InputError error = inputErrorOf([&] { readDataset(options(file), quiet); });
        QCOMPARE(error.line(), std::uint64_t(1));
        QCOMPARE(QString::fromStdString(error.field()), QString("user_id"));
    }

    void tooManyColumnsFail()
    {
        test::Scratch scratch;
        std::string row = "a";
        for (std::size_t i = 0; i < kMaxColumns + 10; ++i)
            row += ",x";
        const auto file = scratch.write("wide.csv", "user,item\n" + row + "\n");
        DelimitedReader reader(file, ',');
        std::vector<std::string_view> fields;
        QVERIFY(reader.next(fields));
        const InputError error = inputErrorOf([&] { reader.next(fields); });
        QCOMPARE(error.line(), std::uint64_t(2));
        QVERIFY2(mentions(error.what(), "columns"), error.what());
    }

    void unclosedQuoteStopsAtTheFieldLimit()
    {
        // A missing closing quote would otherwise swallow the rest of the file into one field.
        test::Scratch scratch;
        std::string body = "item_id:token\ttitle:token\nA1\t\"never closed\n";
        const std::string line(1000, 'w');
        for (std::size_t i = 0; i < kMaxTextFieldBytes / line.size() + 10; ++i)
            body += line + "\n";
        const auto file = scratch.write("shop.item", body);
        DelimitedReader reader(file, '\t');
        std::vector<std::string_view> fields;
        QVERIFY(reader.next(fields));
        const InputError error = inputErrorOf([&] { reader.next(fields); });
        QCOMPARE(error.line(), std::uint64_t(2)); // where the record starts
        QCOMPARE(QString::fromStdString(error.field()), QString("column 2"));
        QVERIFY2(mentions(error.what(), "closing quote missing"), error.what());
    }

    void deepPythonLiteralFailsWithoutCrashing()
    {
        const QString message = errorOf([] { parsePythonLiteral(std::string(200000, '[')); });
        QVERIFY2(message.contains("nested deeper than 64"), qPrintable(message));
        // Real nesting (Amazon's categories: a list of lists in a dict) still parses.
        const auto value = parsePythonLiteral("{'categories': [['Beauty', 'Makeup']], 'price': 5.0}");
        QCOMPARE(QString::fromStdString(value["categories"][0][1].get<std::string>()), QString("Makeup"));
    }

    void deepJsonFailsInEveryJsonReader()
    {
        test::Scratch scratch;
        const std::string deep = std::string(100, '[') + std::string(100, ']');
        // JSON lines, picked fields (Yelp reviews).
        const auto reviews = scratch.write("review.json", R"({"review_id": "r1", "user_id": "u", "business_id": "b",)"
                                                          R"( "date": "2016-03-09 00:00:00", "x": )" + deep + "}\n");
        QVERIFY(mentions(inputErrorOf([&] { readDataset(options(reviews), quiet); }).what(), "nested deeper"));
        // Whole-file JSON (LC-Rec interactions).
        const auto lcrec = scratch.write("x.inter.json", R"({"0": )" + deep + "}\n");
        ImportOptions lc = options(lcrec);
        lc.format = "lcrec";
        QVERIFY(mentions(inputErrorOf([&] { readDataset(lc, quiet); }).what(), "nested deeper"));
        // A safetensors header.
        const auto weights = writeSafetensors(scratch, R"({"w": {"dtype": "F32", "shape": )" + deep +
                                                           R"(, "data_offsets": [0, 0]}})", 0);
        const InputError error = inputErrorOf([&] { SafetensorsFile file(weights); });
        QVERIFY2(mentions(error.what(), "nested deeper"), error.what());
    }

    void safetensorsTensorsMustFitTheFile()
    {
        test::Scratch scratch;
        const auto weights =
            writeSafetensors(scratch, R"({"w": {"dtype": "F32", "shape": [1000, 1000], "data_offsets": [0, 4000000]}})", 16);
        const InputError error = inputErrorOf([&] { SafetensorsFile file(weights); });
        QCOMPARE(QString::fromStdString(error.field()), QString("w"));
        QVERIFY2(mentions(error.what(), "truncated or corrupt"), error.what());
    }

    void gzipThatInflatesPastTheBudgetIsRefused()
    {
        test::Scratch scratch;
        std::string text;
        for (int i = 0; i < 20000; ++i)
            text += "{\"id2item\": \"padding padding padding padding\"}\n";
        const auto file = scratch.writeGzip("datamaps.json.gz", text);
        QVERIFY(std::filesystem::file_size(file) < 64 * 1024);
        const InputError error = inputErrorOf([&] { readWholeTextFile(file, 256 * 1024); });
        QVERIFY2(mentions(error.what(), "inflates to more than 256 KiB"), error.what());
        QCOMPARE(readWholeTextFile(file, 4 << 20).size(), text.size());
        QVERIFY(wholeFileBudgetBytes() > 0);
    }

    void oversizedConfigIsRefused()
    {
        test::Scratch scratch;
        const auto config = scratch.write("huge.toml", "# " + std::string(kMaxConfigBytes, 'c') + "\n");
        const InputError error = inputErrorOf([&] { ConfigTable::parseFile(config); });
        QVERIFY2(mentions(error.what(), "more than the 1 MiB"), error.what());
    }

    void nonAsciiOutsideTomlStringsIsRefusedByLine()
    {
        // toml++ 3.3 reaches __builtin_unreachable() on some of these (found by fuzz_config).
        const InputError error =
            inputErrorOf([] { ConfigTable::parseText("[model]\nd_model = 8\n\xEF\xBB\xAF = 1\n", "c.toml"); });
        QCOMPARE(error.line(), std::uint64_t(3));
        QVERIFY2(mentions(error.what(), "non-ASCII character outside a string"), error.what());
        // In double-quoted strings and comments it is text like any other ('é' is one toml++ trips on).
        auto config = ConfigTable::parseText("# caf\xC3\xA9\xEF\xBB\xAF\n"
                                             "a = \"\\\"\xC3\xA9\"\n"
                                             "b = 'x\xE2\x82\xAC'\n"
                                             "c = \"\"\"\n\xC3\xA9\"\"\"\n"
                                             "d = '''\xE2\x82\xAC\n'''\n",
                                             "c.toml");
        QCOMPARE(QString::fromStdString(config.string("a", "")), QString::fromUtf8("\"\xC3\xA9"));
        QCOMPARE(QString::fromStdString(config.string("b", "")), QString::fromUtf8("x\xE2\x82\xAC"));
        QCOMPARE(QString::fromStdString(config.string("c", "")), QString::fromUtf8("\xC3\xA9"));
        QCOMPARE(QString::fromStdString(config.string("d", "")), QString::fromUtf8("\xE2\x82\xAC\n"));
        config.finish();
        const InputError literal = inputErrorOf([] { ConfigTable::parseText("a = 'caf\xC3\xA9'\n", "c.toml"); });
        QVERIFY2(mentions(literal.what(), "needs a double-quoted string"), literal.what());
        const InputError malformed = inputErrorOf([] { ConfigTable::parseText("a = \"\xE0\x84\x80\"\n", "c.toml"); });
        QVERIFY2(mentions(malformed.what(), "not valid UTF-8"), malformed.what());
    }

    // --- metadata in another id space than the interactions ---

    void metadataByIndexForRawIdsIsAnError()
    {
        // The P5-Yelp + LETTER case: interactions by raw id, metadata keyed by 0-based index.
        test::Scratch scratch;
        const auto sequences = scratch.write("user_sequence.txt", "u1 bizA bizB bizC\nu2 bizB bizA\n");
        const auto items = scratch.write("Yelp.item.json", R"({"0": {"title": "a"}, "1": {"title": "b"}, "2": {"title": "c"}})");
        const InputError error = inputErrorOf([&] { readDataset(options(sequences, items, "lcrec"), quiet); });
        QCOMPARE(QString::fromStdString(error.file()), QString::fromStdString(items.string()));
        QCOMPARE(QString::fromStdString(error.field()), QString("item id"));
        QVERIFY2(mentions(error.what(), "none of its 3 metadata records"), error.what());
        QVERIFY2(mentions(error.what(), "keyed by index"), error.what());
    }

    void metadataCountingFromAnotherBaseIsNamed()
    {
        test::Scratch scratch;
        const auto sequences = scratch.write("user_sequence.txt", "u1 10 20 30\nu2 20 10\n");
        const auto items = scratch.write("x.item.json", R"({"11": {"title": "a"}, "21": {"title": "b"}, "31": {"title": "c"}})");
        const InputError error = inputErrorOf([&] { readDataset(options(sequences, items, "lcrec"), quiet); });
        QVERIFY2(mentions(error.what(), "shifted by -1 match 3 of the first 3"), error.what());
    }

    void partialMetadataMatchIsAWarning()
    {
        test::Scratch scratch;
        const auto sequences = scratch.write("user_sequence.txt", "u1 A B C D\nu2 B A\n");
        const auto items = scratch.write("x.item.json", R"({"A": {"title": "a"}, "X": {"title": "x"}, "Y": {"title": "y"}})");
        const Dataset d = readDataset(options(sequences, items, "lcrec"), quiet);
        QCOMPARE(d.report.warnings.size(), std::size_t(1));
        QVERIFY2(mentions(d.report.warnings[0], "only 1 of the 4 items (25 %)"), d.report.warnings[0].c_str());
        // Half or more: no warning.
        const auto enough = scratch.write("y.item.json", R"({"A": {"title": "a"}, "B": {"title": "b"}})");
        QVERIFY(readDataset(options(sequences, enough, "lcrec"), quiet).report.warnings.empty());
    }
};

QTEST_APPLESS_MAIN(TestInputLimits)
#include "test_input_limits.moc"
