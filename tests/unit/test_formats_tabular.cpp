// The lcrec, p5, movielens and csv formats, read end to end through readDataset (no database):
// exact users, items, sequences and fields; k-core defaults; detection; errors naming file,
// line and field. Fixtures are written here from each format's published description.
#include "data/formats/Format.h"
#include "jobs/ImportJob.h"
#include "support/TestSupport.h"
#include "util/Error.h"

#include <algorithm>
#include <functional>
#include <optional>

using namespace idgen;

namespace {

ImportOptions optionsFor(const std::filesystem::path &interactions, const std::string &format = {})
{
    ImportOptions options;
    options.name = "test";
    options.sources.interactions = interactions;
    options.format = format;
    return options;
}

Dataset load(const ImportOptions &options)
{
    JobEvents events;
    return readDataset(options, events);
}

// Each user's items as raw ids, users in dataset order.
std::vector<std::pair<std::string, std::vector<std::string>>> sequences(const Dataset &dataset)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (std::size_t u = 0; u < dataset.userCount(); ++u) {
        std::vector<std::string> items;
        for (const auto item : dataset.sequence(u))
            items.push_back(dataset.itemRawIds[item]);
        out.emplace_back(dataset.userRawIds[u], std::move(items));
    }
    return out;
}

using Sequences = std::vector<std::pair<std::string, std::vector<std::string>>>;

std::string fieldsOf(const Dataset &dataset, const std::string &itemRawId)
{
    const auto it = std::find(dataset.itemRawIds.begin(), dataset.itemRawIds.end(), itemRawId);
    if (it == dataset.itemRawIds.end())
        return "<no such item>";
    return dataset.itemFields[static_cast<std::size_t>(it - dataset.itemRawIds.begin())].dump();
}

// Runs action and returns the InputError it throws; fails the test when it throws none.
std::optional<InputError> inputErrorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const InputError &error) {
        return error;
    }
    return std::nullopt;
}

#define EXPECT_INPUT_ERROR(action, fileName, expectedLine, expectedField, fragment)                          \
    do {                                                                                                     \
        const auto error_ = inputErrorOf([&] { action; });                                                   \
        QVERIFY2(error_.has_value(), "expected an InputError");                                              \
        QVERIFY2(QString::fromStdString(error_->file()).endsWith(fileName), error_->what());                 \
        QCOMPARE(error_->line(), std::uint64_t(expectedLine));                                               \
        QCOMPARE(QString::fromStdString(error_->field()), QString(expectedField));                           \
        QVERIFY2(QString(error_->what()).contains(fragment), error_->what());                                \
    } while (false)

int score(const std::string &format, const std::filesystem::path &file, bool items = false)
{
    const FileSniff sniff = FileSniff::of(file);
    return items ? formatByName(format).detectItems(sniff) : formatByName(format).detectInteractions(sniff);
}

// A 6-user x 5-movie block where every user rated every movie (a 5-core), plus user 99 who rated
// only movie 77: the 5-core filter removes user 99 and movie 77, nothing else.
std::string kcoreRatingsDat()
{
    std::string text;
    for (int user = 1; user <= 6; ++user) {
        for (int movie = 1; movie <= 5; ++movie)
            text += std::to_string(user) + "::" + std::to_string(movie) + "::4::" + std::to_string(1000 + movie) + "\n";
    }
    return text + "99::77::5::1000\n";
}

const std::string kLatin1Cafe = "Caf\xE9"; // "Café" as ISO-8859-1 bytes
const std::string kUtf8Cafe = "Caf\xC3\xA9";

} // namespace

class TestFormatsTabular : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // ---- lcrec ------------------------------------------------------------------------------

    void lcrecKeepsFileOrderAndItemFields()
    {
        test::Scratch scratch;
        // Pretty-printed like LETTER's files, gzip'd; keys deliberately not in numeric order.
        const auto inter = scratch.writeGzip("Toy.inter.json.gz",
                                             "{\n  \"10\": [\n    3,\n    0\n  ],\n  \"2\": [0, 1, 2],\n  \"7\": [2]\n}\n");
        const auto items = scratch.write(
            "Toy.item.json",
            R"({"0": {"title": "Red pen", "description": "Writes red.", "brand": "Acme", "categories": "Office,Pens"},)"
            R"( "3": {"title": ")" + kUtf8Cafe + R"( mug", "price": 4.5, "tags": ["a", "b"], "extra": null, "nested": {"x": 1}},)"
            R"( "42": {"title": "no interactions"}})");
        ImportOptions options = optionsFor(inter);
        options.sources.items = items;
        const Dataset dataset = load(options);

        QCOMPARE(dataset.report.format, std::string("lcrec"));
        QCOMPARE(dataset.report.itemsFormat, std::string("lcrec"));
        QCOMPARE(dataset.report.kcore, 0);
        const Sequences expected = {{"10", {"3", "0"}}, {"2", {"0", "1", "2"}}, {"7", {"2"}}};
        QCOMPARE(sequences(dataset), expected);
        QCOMPARE(dataset.itemRawIds, (std::vector<std::string>{"3", "0", "1", "2"}));
        QCOMPARE(fieldsOf(dataset, "0"),
                 std::string(R"({"title":"Red pen","description":"Writes red.","brand":"Acme","categories":"Office,Pens"})"));
        // Text, numbers and text lists are kept in order; null and nested objects are not text.
        QCOMPARE(fieldsOf(dataset, "3"), std::string(R"({"title":"Café mug","price":4.5,"tags":["a","b"]})"));
        QVERIFY(dataset.itemFields[2].is_null()); // item 1 has no record
        QCOMPARE(dataset.report.metadataRecords, std::uint64_t(3));
        QCOMPARE(dataset.report.metadataIgnored, std::uint64_t(1));
    }

    void lcrecDetection()
    {
        test::Scratch scratch;
        const auto inter = scratch.write("X.inter.json", "{\"0\": [0, 1], \"1\": [1]}");
        const auto pretty = scratch.write("Y.inter.json", "{\n    \"0\": [\n        5\n    ]\n}");
        const auto items = scratch.write("X.item.json", "{\"0\": {\"title\": \"t\"}}");
        const auto codes = scratch.write("X.index.json", "{\"0\": [\"<a_1>\", \"<b_2>\"]}");
        QCOMPARE(score("lcrec", inter), 85);
        QCOMPARE(score("lcrec", pretty), 85);
        QCOMPARE(score("lcrec", items), 0);
        QCOMPARE(score("lcrec", items, true), 85);
        QCOMPARE(score("lcrec", inter, true), 0);
        QCOMPARE(score("lcrec", codes), 0); // RQ-VAE codes are not interactions
        QCOMPARE(score("lcrec", codes, true), 0);
        QCOMPARE(detectInteractionsFormat(inter).name(), std::string("lcrec"));
        QCOMPARE(detectInteractionsFormat(pretty).name(), std::string("lcrec"));
        QCOMPARE(detectItemsFormat(items).name(), std::string("lcrec"));
    }

    void lcrecBadInputNamesLineAndField()
    {
        test::Scratch scratch;
        const auto badItem = scratch.write("bad.inter.json", "{\n  \"0\": [1, 2],\n  \"1\": [3, \"x\"]\n}\n");
        EXPECT_INPUT_ERROR(load(optionsFor(badItem, "lcrec")), "bad.inter.json", 3, "1", "non-negative integers");
        const auto negative = scratch.write("neg.inter.json", "{\"0\": [1, -2]}");
        EXPECT_INPUT_ERROR(load(optionsFor(negative, "lcrec")), "neg.inter.json", 1, "0", "non-negative integers");
        const auto duplicate = scratch.write("dup.inter.json", "{\"0\": [1],\n\"0\": [2]}");
        EXPECT_INPUT_ERROR(load(optionsFor(duplicate, "lcrec")), "dup.inter.json", 2, "0", "duplicate user");
        const auto array = scratch.write("array.inter.json", "[[1, 2]]");
        EXPECT_INPUT_ERROR(load(optionsFor(array, "lcrec")), "array.inter.json", 1, "", "JSON object");
        const auto broken = scratch.write("broken.inter.json", "{\"0\": [1, 2],\n \"1\": [3 4]}");
        EXPECT_INPUT_ERROR(load(optionsFor(broken, "lcrec")), "broken.inter.json", 2, "", "line 2");

        const auto inter = scratch.write("ok.inter.json", "{\"0\": [0]}");
        const auto notObject = scratch.write("bad.item.json", "{\"0\": \"just a title\"}");
        ImportOptions options = optionsFor(inter);
        options.sources.items = notObject;
        options.itemsFormat = "lcrec";
        EXPECT_INPUT_ERROR(load(options), "bad.item.json", 1, "0", "object of item fields");
    }

    // ---- p5 ---------------------------------------------------------------------------------

    void p5MatchesTheRawIdSequenceFile()
    {
        test::Scratch scratch;
        const auto datamaps = scratch.write(
            "datamaps.json",
            R"({"user2id": {"AX": "1", "BY": "2", "CZ": "3"}, "item2id": {"B01": "1", "B02": "2", "B03": "3", "B04": "4"},)"
            R"( "id2user": {"1": "AX", "2": "BY", "3": "CZ"}, "id2item": {"1": "B01", "2": "B02", "3": "B03", "4": "B04"},)"
            R"( "attribute2id": {"Makeup": 1}, "id2attribute": {"1": "Makeup"}, "attributeid2num": {"1": 2}})");
        const auto p5 = scratch.write("sequential_data.txt", "1 1 2 3\n3 4 1\n2 2 4 3 1\n");
        const auto raw = scratch.write("user_sequence.txt", "AX B01 B02 B03\nCZ B04 B01\nBY B02 B04 B03 B01\n");

        ImportOptions options = optionsFor(p5); // no --format: --datamaps picks p5
        options.sources.datamaps = datamaps;
        const Dataset fromP5 = load(options);
        const Dataset fromRaw = load(optionsFor(raw, "sequence"));

        QCOMPARE(fromP5.report.format, std::string("p5"));
        QCOMPARE(fromP5.report.kcore, 0);
        const Sequences expected = {{"AX", {"B01", "B02", "B03"}}, {"CZ", {"B04", "B01"}}, {"BY", {"B02", "B04", "B03", "B01"}}};
        QCOMPARE(sequences(fromP5), expected);
        QCOMPARE(fromP5.userRawIds, fromRaw.userRawIds);
        QCOMPARE(fromP5.itemRawIds, fromRaw.itemRawIds);
        QCOMPARE(fromP5.contentHash(), fromRaw.contentHash());
    }

    void p5AcceptsOnlyTheForwardMaps()
    {
        // Some copies keep only user2id / item2id (with numeric values): they are turned around.
        test::Scratch scratch;
        const auto datamaps = scratch.write("maps.json", R"({"user2id": {"U": 1}, "item2id": {"I": 1, "J": 2}})");
        ImportOptions options = optionsFor(scratch.write("seq.txt", "1 2 1\n"), "p5");
        options.sources.datamaps = datamaps;
        QCOMPARE(sequences(load(options)), (Sequences{{"U", {"J", "I"}}}));
    }

    void p5Errors()
    {
        test::Scratch scratch;
        const auto datamaps = scratch.write("datamaps.json", R"({"id2user": {"1": "AX", "2": "BY"}, "id2item": {"1": "B01", "2": "B02"}})");

        const auto p5 = scratch.write("seq.txt", "1 1 2\n2 2 9\n");
        EXPECT_INPUT_ERROR(load(optionsFor(p5, "p5")), "seq.txt", 0, "", "--datamaps is required");

        ImportOptions options = optionsFor(p5, "p5");
        options.sources.datamaps = datamaps;
        EXPECT_INPUT_ERROR(load(options), "seq.txt", 2, "item index", "'9'");

        options.sources.interactions = scratch.write("seq2.txt", "1 1\n\n5 2\n");
        EXPECT_INPUT_ERROR(load(options), "seq2.txt", 3, "user index", "'5'");

        options.sources.datamaps = scratch.write("nomaps.json", R"({"id2user": {"1": "AX"}})");
        EXPECT_INPUT_ERROR(load(options), "nomaps.json", 0, "id2item", "item2id");
    }

    void p5IsNeverDetectedFromContent()
    {
        test::Scratch scratch;
        const auto p5 = scratch.write("sequential_data.txt", "1 1 2 3\n2 3 4\n");
        QCOMPARE(score("p5", p5), 0);
        QCOMPARE(detectInteractionsFormat(p5).name(), std::string("sequence"));
    }

    // ---- movielens --------------------------------------------------------------------------

    void movielensDatOrdersByTimeKeepingTies()
    {
        test::Scratch scratch;
        // User 1's rows are out of time order; 20 and 30 share a timestamp and keep file order.
        const auto ratings = scratch.write("ratings.dat",
                                           "1::10::5::978300760\n"
                                           "1::30::3::978300100\n"
                                           "2::10::4::978300000\n"
                                           "1::20::4::978300100\n"
                                           "1::40::2::978299000\n");
        const auto movies = scratch.write("movies.dat",
                                          "10::Toy Story (1995)::Animation|Children's|Comedy\n"
                                          "20::" + kLatin1Cafe + " au Lait (Caf\xE9 au lait) (1993)::Comedy\n"
                                          "30::Untitled::Drama\n"
                                          "99::Never Rated (2000)::Drama\n");
        ImportOptions options = optionsFor(ratings);
        options.sources.items = movies;
        options.kcore = 0;
        const Dataset dataset = load(options);

        QCOMPARE(dataset.report.format, std::string("movielens"));
        QCOMPARE(dataset.report.itemsFormat, std::string("movielens"));
        const Sequences expected = {{"1", {"40", "30", "20", "10"}}, {"2", {"10"}}};
        QCOMPARE(sequences(dataset), expected);
        QCOMPARE(dataset.sequenceTimestamps,
                 (std::vector<std::int64_t>{978299000, 978300100, 978300100, 978300760, 978300000}));
        QCOMPARE(dataset.report.timestampTies, std::uint64_t(1));
        // Not a raw string: moc loses track of a raw string that holds an apostrophe.
        const std::string toyStory =
            "{\"title\":\"Toy Story\",\"year\":\"1995\",\"genres\":[\"Animation\",\"Children's\",\"Comedy\"]}";
        QCOMPARE(fieldsOf(dataset, "10"), toyStory);
        QCOMPARE(fieldsOf(dataset, "20"),
                 "{\"title\":\"" + kUtf8Cafe + " au Lait (" + kUtf8Cafe + " au lait)\",\"year\":\"1993\",\"genres\":[\"Comedy\"]}");
        QCOMPARE(fieldsOf(dataset, "30"), std::string(R"({"title":"Untitled","genres":["Drama"]})"));
    }

    void movielensUDataAndUItem()
    {
        test::Scratch scratch;
        const auto ratings = scratch.writeGzip("u.data.gz", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t4\t881250900\n");
        auto flags = [](std::initializer_list<int> on) {
            std::string text;
            for (int g = 0; g < 19; ++g)
                text += std::string("|") + (std::find(on.begin(), on.end(), g) != on.end() ? "1" : "0");
            return text;
        };
        const auto items = scratch.write("u.item",
                                         "242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)" + flags({5}) + "\n" +
                                         "302|L.A. Confidential (1997)|01-Jan-1997||http://x" + flags({6, 13, 16}) + "\n" +
                                         "303|" + kLatin1Cafe + " Society|01-Jan-1998||" + flags({0}) + "\n");
        ImportOptions options = optionsFor(ratings, "movielens");
        options.sources.items = items;
        options.kcore = 0;
        const Dataset dataset = load(options);
        QCOMPARE(sequences(dataset), (Sequences{{"196", {"302", "242"}}, {"186", {"302"}}}));
        QCOMPARE(fieldsOf(dataset, "242"), std::string(R"({"title":"Kolya","year":"1996","genres":["Comedy"]})"));
        QCOMPARE(fieldsOf(dataset, "302"),
                 std::string(R"({"title":"L.A. Confidential","year":"1997","genres":["Crime","Mystery","Thriller"]})"));
        QCOMPARE(dataset.report.metadataIgnored, std::uint64_t(1)); // 303 was never rated

        // The Latin-1 title of the unrated 303 still converts: check with a rating for it.
        const auto more = scratch.write("u.data", "1\t303\t5\t10\n");
        options.sources.interactions = more;
        const Dataset cafe = load(options);
        QCOMPARE(fieldsOf(cafe, "303"), "{\"title\":\"" + kUtf8Cafe + " Society\",\"year\":\"1998\",\"genres\":[\"unknown\"]}");
    }

    void movielensCsvLayouts()
    {
        test::Scratch scratch;
        const auto ratings = scratch.write("ratings.csv",
                                           "userId,movieId,rating,timestamp\n"
                                           "1,1,4.0,964982703\n1,3,4.5,964981247\n2,1,3.5,1445714835\n");
        const auto movies = scratch.write("movies.csv",
                                          "movieId,title,genres\n"
                                          "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
                                          "3,\"American President, The (1995)\",(no genres listed)\n");
        ImportOptions options = optionsFor(ratings);
        options.sources.items = movies;
        options.kcore = 0;
        const Dataset dataset = load(options);
        QCOMPARE(sequences(dataset), (Sequences{{"1", {"3", "1"}}, {"2", {"1"}}}));
        QCOMPARE(fieldsOf(dataset, "1"), std::string(R"({"title":"Toy Story","year":"1995","genres":["Adventure","Animation","Children","Comedy","Fantasy"]})"));
        QCOMPARE(fieldsOf(dataset, "3"), std::string(R"({"title":"American President, The","year":"1995"})"));
    }

    void movielensDefaultsToFiveCore()
    {
        test::Scratch scratch;
        const auto ratings = scratch.write("ratings.dat", kcoreRatingsDat());
        const Dataset filtered = load(optionsFor(ratings));
        QCOMPARE(filtered.report.kcore, 5);
        QCOMPARE(filtered.userCount(), std::size_t(6));
        QCOMPARE(filtered.itemCount(), std::size_t(5));
        QCOMPARE(filtered.interactionCount(), std::size_t(30));
        QCOMPARE(filtered.report.kcoreRemovedUsers, std::uint64_t(1));

        ImportOptions all = optionsFor(ratings);
        all.kcore = 0;
        const Dataset unfiltered = load(all);
        QCOMPARE(unfiltered.report.kcore, 0);
        QCOMPARE(unfiltered.userCount(), std::size_t(7));
        QCOMPARE(unfiltered.interactionCount(), std::size_t(31));
    }

    void movielensDetection()
    {
        test::Scratch scratch;
        const auto dat = scratch.write("ratings.dat", "1::1193::5::978300760\n");
        const auto udata = scratch.write("u.data", "196\t242\t3\t881250949\n");
        const auto csv = scratch.write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n");
        const auto moviesDat = scratch.write("movies.dat", "1::Toy Story (1995)::Animation\n");
        const auto uitem = scratch.write("u.item", "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n");
        const auto moviesCsv = scratch.write("movies.csv", "movieId,title,genres\n1,Toy Story (1995),Animation\n");
        for (const auto &file : {dat, udata, csv}) {
            QVERIFY(score("movielens", file) >= 80);
            QCOMPARE(detectInteractionsFormat(file).name(), std::string("movielens"));
            QCOMPARE(score("movielens", file, true), 0);
        }
        for (const auto &file : {moviesDat, uitem, moviesCsv}) {
            QVERIFY(score("movielens", file, true) >= 85);
            QCOMPARE(detectItemsFormat(file).name(), std::string("movielens"));
            QCOMPARE(score("movielens", file), 0);
        }
        // A sequence file and a RecBole header are not MovieLens.
        QCOMPARE(score("movielens", scratch.write("seq.txt", "A B C\n")), 0);
        QCOMPARE(score("movielens", scratch.write("x.inter", "user_id:token\titem_id:token\trating:float\ttimestamp:float\n")), 0);
    }

    void movielensBadInput()
    {
        test::Scratch scratch;
        const auto short3 = scratch.write("ratings.dat", "1::1::5::10\n1::2::5\n");
        EXPECT_INPUT_ERROR(load(optionsFor(short3, "movielens")), "ratings.dat", 2, "", "found 3");
        const auto badTime = scratch.write("r2.dat", "1::1::5::10\n\n1::2::5::yesterday\n");
        EXPECT_INPUT_ERROR(load(optionsFor(badTime, "movielens")), "r2.dat", 3, "timestamp", "yesterday");
        const auto badRating = scratch.write("u.data", "1\t2\t3\t4\n1\t3\tfive\t5\n");
        EXPECT_INPUT_ERROR(load(optionsFor(badRating, "movielens")), "u.data", 2, "rating", "five");
        const auto csv = scratch.write("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,4.0\n");
        EXPECT_INPUT_ERROR(load(optionsFor(csv, "movielens")), "ratings.csv", 3, "", "found 3");
        const auto notMl = scratch.write("other.txt", "a b c\n");
        EXPECT_INPUT_ERROR(load(optionsFor(notMl, "movielens")), "other.txt", 1, "", "not a MovieLens ratings file");

        ImportOptions options = optionsFor(scratch.write("ok.dat", "1::1::5::10\n"));
        options.kcore = 0;
        options.sources.items = scratch.write("u.item", "1|A (1990)|||" + std::string("|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|yes") + "\n");
        EXPECT_INPUT_ERROR(load(options), "u.item", 1, "Western", "0 or 1");
    }

    // ---- csv --------------------------------------------------------------------------------

    void csvNamedColumnsDetectedDelimiter()
    {
        test::Scratch scratch;
        // Semicolons, quoted fields, a time column with a tie; user "b" must keep file order.
        const auto file = scratch.write("log.csv",
                                        "when;who;what;note\n"
                                        "30;a;x;\"first; quoted\"\n"
                                        "10;a;y;\n"
                                        "20;\"b\";x;\n"
                                        "20;b;z;\"say \"\"hi\"\"\"\n");
        ImportOptions options = optionsFor(file);
        options.sources.csv.userColumn = "who";
        options.sources.csv.itemColumn = "what";
        options.sources.csv.timeColumn = "when";
        options.kcore = 0;
        const Dataset dataset = load(options);
        QCOMPARE(dataset.report.format, std::string("csv"));
        QCOMPARE(sequences(dataset), (Sequences{{"a", {"y", "x"}}, {"b", {"x", "z"}}}));
        QCOMPARE(dataset.sequenceTimestamps, (std::vector<std::int64_t>{10, 30, 20, 20}));
    }

    void csvNumberedColumnsAndTimeFormat()
    {
        test::Scratch scratch;
        const auto file = scratch.writeGzip("log.tsv.gz",
                                            "u1\t2020-01-02 00:00:00\ti1\n"
                                            "u1\t2020-01-01 00:00:00\ti2\n"
                                            "u2\t1970-01-01 00:01:40\ti1\n");
        ImportOptions options = optionsFor(file, "csv");
        options.sources.csv.header = false;
        options.sources.csv.userColumn = "0";
        options.sources.csv.itemColumn = "2";
        options.sources.csv.timeColumn = "1";
        options.sources.csv.timeFormat = "%Y-%m-%d %H:%M:%S";
        options.kcore = 0;
        const Dataset dataset = load(options);
        QCOMPARE(sequences(dataset), (Sequences{{"u1", {"i2", "i1"}}, {"u2", {"i1"}}}));
        // UTC, whatever the machine's zone.
        QCOMPARE(dataset.sequenceTimestamps, (std::vector<std::int64_t>{1577836800, 1577923200, 100}));

        options.sources.interactions = scratch.write("bad.tsv", "u1\t2020-01-02 00:00:00\ti1\nu1\t2020-13-45\ti2\n");
        EXPECT_INPUT_ERROR(load(options), "bad.tsv", 2, "column_1", "%Y-%m-%d");
    }

    void csvDefaultsToFiveCore()
    {
        test::Scratch scratch;
        std::string text = "user_id,item_id\n";
        for (int user = 1; user <= 5; ++user) {
            for (int item = 1; item <= 5; ++item)
                text += "u" + std::to_string(user) + ",i" + std::to_string(item) + "\n";
        }
        text += "lonely,i1\n";
        const auto file = scratch.write("pairs.csv", text);
        const Dataset filtered = load(optionsFor(file));
        QCOMPARE(filtered.report.format, std::string("csv"));
        QCOMPARE(filtered.report.kcore, 5);
        QCOMPARE(filtered.userCount(), std::size_t(5));
        QVERIFY(!filtered.hasTimestamps());

        ImportOptions all = optionsFor(file);
        all.kcore = 0;
        QCOMPARE(load(all).userCount(), std::size_t(6));
    }

    void csvItemsFile()
    {
        test::Scratch scratch;
        ImportOptions options = optionsFor(scratch.write("pairs.csv", "user_id,item_id\nu,i1\nu,i2\n"));
        options.kcore = 0;
        options.sources.items = scratch.write("items.csv", "title,item_id,brand,price\n\"Pen, red\",i1,,1.5\nMug,i2,Acme,\n");
        options.itemsFormat = "csv";
        const Dataset dataset = load(options);
        QCOMPARE(fieldsOf(dataset, "i1"), std::string(R"({"title":"Pen, red","price":"1.5"})"));
        QCOMPARE(fieldsOf(dataset, "i2"), std::string(R"({"title":"Mug","brand":"Acme"})"));
    }

    void csvErrors()
    {
        test::Scratch scratch;
        const auto file = scratch.write("log.csv", "user,item,ts\na,x,1\nb,y\n");
        ImportOptions options = optionsFor(file);
        options.sources.csv.userColumn = "uid";
        options.sources.csv.itemColumn = "item";
        EXPECT_INPUT_ERROR(load(options), "log.csv", 1, "uid", "user, item, ts");

        options.sources.csv.userColumn = "user";
        EXPECT_INPUT_ERROR(load(options), "log.csv", 3, "", "found 2");

        options.sources.interactions = scratch.write("time.csv", "user,item,ts\na,x,1\nb,y,soon\n");
        options.sources.csv.timeColumn = "ts";
        EXPECT_INPUT_ERROR(load(options), "time.csv", 3, "ts", "soon");

        options.sources.csv.header = false;
        options.sources.csv.timeColumn.clear();
        EXPECT_INPUT_ERROR(load(options), "time.csv", 1, "user", "0-based column number");
    }

    void csvIsTheFallback()
    {
        test::Scratch scratch;
        const auto pipes = scratch.write("x.txt", "a|b|c\n");
        QCOMPARE(score("csv", pipes), 5);
        QCOMPARE(detectInteractionsFormat(pipes).name(), std::string("csv"));
        QCOMPARE(detectItemsFormat(pipes).name(), std::string("csv"));
        // Every format that claims a file scores above csv.
        QCOMPARE(detectInteractionsFormat(scratch.write("ratings.dat", "1\t2\t3\t4\n")).name(), std::string("movielens"));
        QCOMPARE(score("csv", scratch.write("x.json", "{\"a\": 1, \"b\": 2}\n")), 0);
        QCOMPARE(score("csv", scratch.write("plain.txt", "one two three\n")), 0);
    }
};

QTEST_APPLESS_MAIN(TestFormatsTabular)
#include "test_formats_tabular.moc"
