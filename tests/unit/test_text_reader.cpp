// Streaming text input: gzip, line endings, encodings, quoted delimited records, Python literals.
#include "data/formats/DelimitedReader.h"
#include "support/TestSupport.h"
#include "util/Error.h"
#include "util/PythonLiteral.h"
#include "util/TextReader.h"

using namespace idgen;
using test::errorOf;
using test::inputErrorOf;

namespace {

std::vector<std::string> allLines(const std::filesystem::path &path,
                                  TextReader::Encoding encoding = TextReader::Encoding::Utf8)
{
    TextReader reader(path, encoding);
    std::vector<std::string> lines;
    std::string_view line;
    while (reader.nextLine(line))
        lines.emplace_back(line);
    return lines;
}


// A 2014 Amazon metadata line. (Kept out of the test class: moc cannot parse raw strings that
// contain unbalanced quotes.)
const char *const kAmazonMetaLine =
    "{'asin': '0000031852', 'title': \"Girls' Ballet Tutu\", 'price': 3.17, 'n': -2, 'ok': True, "
    "'none': None, 'salesRank': {'Toys & Games': 211836}, 'categories': [['Sports', 'Dance'], ('A',)], "
    "'esc': 'it\\'s \\u00e9\\x41\\n'}";

} // namespace

class TestTextReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsPlainAndGzipAlike()
    {
        test::Scratch scratch;
        const std::string content = "first line\r\nsecond\n\nlast without newline";
        const std::vector<std::string> expected = {"first line", "second", "", "last without newline"};
        QCOMPARE(allLines(scratch.write("a.txt", content)), expected);
        QCOMPARE(allLines(scratch.writeGzip("a.txt.gz", content)), expected);
    }

    void readsLinesLongerThanItsBuffer()
    {
        test::Scratch scratch;
        const std::string longLine(3 * 1024 * 1024 + 17, 'x');
        const auto lines = allLines(scratch.write("long.txt", "a\n" + longLine + "\nb\n"));
        QCOMPARE(lines.size(), std::size_t(3));
        QCOMPARE(lines[1].size(), longLine.size());
        QCOMPARE(lines[2], std::string("b"));
    }

    void skipsUtf8ByteOrderMark()
    {
        test::Scratch scratch;
        QCOMPARE(allLines(scratch.write("bom.txt", "\xEF\xBB\xBFhello\n")), std::vector<std::string>{"hello"});
    }

    void rejectsInvalidUtf8NamingTheLine()
    {
        test::Scratch scratch;
        const auto path = scratch.write("bad.txt", "ok\nstill ok\ncaf\xE9 latin-1\n");
        const InputError error = inputErrorOf([&] { allLines(path); });
        QCOMPARE(error.line(), std::uint64_t(3));
        QVERIFY(QString(error.what()).contains("UTF-8"));
        QVERIFY(QString(error.what()).contains("bad.txt:3"));
    }

    void convertsLatin1WhenTold()
    {
        test::Scratch scratch;
        const auto path = scratch.write("latin.txt", "caf\xE9\n");
        QCOMPARE(allLines(path, TextReader::Encoding::Latin1), std::vector<std::string>{"caf\xC3\xA9"});
    }

    void rejectsUtf16AndEmptyAndMissingFiles()
    {
        test::Scratch scratch;
        const auto utf16 = scratch.write("u16.txt", std::string("\xFF\xFEh\0i\0\n\0", 8));
        QVERIFY(QString(inputErrorOf([&] { allLines(utf16); }).what()).contains("UTF-16"));
        const auto empty = scratch.write("empty.txt", "");
        QVERIFY(QString(inputErrorOf([&] { allLines(empty); }).what()).contains("empty"));
        QVERIFY(QString(inputErrorOf([&] { allLines(scratch.path("nope.txt")); }).what()).contains("not found"));
    }

    void validatesUtf8Exactly()
    {
        QVERIFY(isValidUtf8("plain ascii text that is long enough for the fast path"));
        QVERIFY(isValidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
        QVERIFY(!isValidUtf8("\xC3"));                 // truncated
        QVERIFY(!isValidUtf8("\xC0\xAF"));             // overlong
        QVERIFY(!isValidUtf8("\xED\xA0\x80"));         // surrogate
        QVERIFY(!isValidUtf8("abcdefgh\x80"));         // stray continuation after the fast path
    }

    void splitsQuotedDelimitedRecords()
    {
        test::Scratch scratch;
        // A quoted field holding a tab, one holding a newline, and "" for a literal quote.
        const auto path = scratch.write("q.tsv", "id\ttitle\tprice\n"
                                                 "1\t\"a\tb\"\t3\n"
                                                 "2\t\"two\nlines\"\t4\n"
                                                 "\n"
                                                 "3\t\"say \"\"hi\"\"\"\t\n");
        DelimitedReader reader(path, '\t');
        std::vector<std::string_view> fields;
        QVERIFY(reader.next(fields));
        QVERIFY(reader.next(fields));
        QCOMPARE(std::string(fields[1]), std::string("a\tb"));
        QVERIFY(reader.next(fields));
        QCOMPARE(reader.lineNumber(), std::uint64_t(3));
        QCOMPARE(std::string(fields[1]), std::string("two\nlines"));
        QCOMPARE(std::string(fields[2]), std::string("4"));
        QVERIFY(reader.next(fields));
        QCOMPARE(reader.lineNumber(), std::uint64_t(6));
        QCOMPARE(fields.size(), std::size_t(3));
        QCOMPARE(std::string(fields[1]), std::string("say \"hi\""));
        QCOMPARE(std::string(fields[2]), std::string());
        QVERIFY(!reader.next(fields));
    }

    void reportsAnUnclosedQuote()
    {
        test::Scratch scratch;
        const auto path = scratch.write("q.tsv", "1\t\"never closed\n2\tx\n");
        DelimitedReader reader(path, '\t');
        std::vector<std::string_view> fields;
        const InputError error = inputErrorOf([&] { reader.next(fields); });
        QCOMPARE(error.line(), std::uint64_t(1));
        QVERIFY(QString(error.what()).contains("not closed"));
    }

    void parsesPythonLiterals()
    {
        const auto value = parsePythonLiteral(kAmazonMetaLine);
        QCOMPARE(QString::fromStdString(value["title"].get<std::string>()), QString("Girls' Ballet Tutu"));
        QCOMPARE(value["price"].get<double>(), 3.17);
        QCOMPARE(value["n"].get<int>(), -2);
        QVERIFY(value["ok"].get<bool>());
        QVERIFY(value["none"].is_null());
        QCOMPARE(value["salesRank"]["Toys & Games"].get<int>(), 211836);
        QCOMPARE(QString::fromStdString(value["categories"][1][0].get<std::string>()), QString("A"));
        QCOMPARE(QString::fromStdString(value["esc"].get<std::string>()), QString::fromUtf8("it's \xC3\xA9" "A\n"));
        QCOMPARE(QString::fromStdString(parsePythonLiteral("'\\ud83d\\ude00 ok'").get<std::string>()),
                 QString::fromUtf8("\xF0\x9F\x98\x80 ok"));
        // Keys keep their order.
        QCOMPARE(QString::fromStdString(value.begin().key()), QString("asin"));
        bool failed = false;
        try {
            parsePythonLiteral("{'a': [1, 2}");
        } catch (const Error &error) {
            failed = QString(error.what()).contains("character");
        }
        QVERIFY(failed);
    }
};

QTEST_APPLESS_MAIN(TestTextReader)
#include "test_text_reader.moc"
