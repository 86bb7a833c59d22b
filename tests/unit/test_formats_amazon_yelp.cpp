// Raw dumps: the Amazon review data of 2014 and 2018 and the Yelp Open Dataset, each imported
// through readDataset (no project file) from small files written after the published layouts.
#include "data/formats/Format.h"
#include "jobs/ImportJob.h"
#include "support/TestSupport.h"
#include "util/Error.h"

using namespace idgen;
using test::errorOf;
using test::inputErrorOf;

namespace {

Dataset importFiles(const std::filesystem::path &interactions, std::optional<std::filesystem::path> items = {},
                    std::optional<int> kcore = 1, std::string format = {})
{
    ImportOptions options;
    options.name = "test";
    options.sources.interactions = interactions;
    options.sources.items = std::move(items);
    options.kcore = kcore;
    options.format = std::move(format);
    JobEvents events;
    return readDataset(options, events);
}


std::vector<std::string> sequenceOf(const Dataset &d, const std::string &user)
{
    const auto it = std::find(d.userRawIds.begin(), d.userRawIds.end(), user);
    if (it == d.userRawIds.end())
        return {"<no such user>"};
    std::vector<std::string> items;
    for (const auto item : d.sequence(static_cast<std::size_t>(it - d.userRawIds.begin())))
        items.push_back(d.itemRawIds[item]);
    return items;
}

std::vector<std::int64_t> timesOf(const Dataset &d, const std::string &user)
{
    const auto u = static_cast<std::size_t>(std::find(d.userRawIds.begin(), d.userRawIds.end(), user) - d.userRawIds.begin());
    return {d.sequenceTimestamps.begin() + static_cast<std::ptrdiff_t>(d.sequenceOffsets[u]),
            d.sequenceTimestamps.begin() + static_cast<std::ptrdiff_t>(d.sequenceOffsets[u + 1])};
}

// The item's fields as compact JSON ("<no such item>" when absent), so comparisons also check order.
QString fieldsOf(const Dataset &d, const std::string &item)
{
    const auto it = std::find(d.itemRawIds.begin(), d.itemRawIds.end(), item);
    if (it == d.itemRawIds.end())
        return "<no such item>";
    return QString::fromStdString(d.itemFields[static_cast<std::size_t>(it - d.itemRawIds.begin())].dump());
}

// One review line in the 2014 layout (McAuley et al.), with the fields nobody reads.
std::string review2014(const std::string &user, const std::string &asin, std::int64_t time)
{
    return R"({"reviewerID": ")" + user + R"(", "asin": ")" + asin +
           R"(", "reviewerName": "J. \"Mac\" Donald", "helpful": [2, 3], "reviewText": "Great {stuff}, \u00e9, 5\/5", )"
           R"("overall": 5.0, "summary": "Nice", "unixReviewTime": )" +
           std::to_string(time) + R"(, "reviewTime": "09 13, 2009"})" + "\n";
}

// One review line in the 2018 layout (Ni et al.): other key order, nested "style", "image".
std::string review2018(const std::string &user, const std::string &asin, std::int64_t time)
{
    return R"({"overall": 4.0, "vote": "12", "verified": true, "reviewTime": "09 1, 2016", "reviewerID": ")" + user +
           R"(", "asin": ")" + asin +
           R"(", "style": {"Size:": " 7.0 oz", "reviewerID": "NESTED", "asin": "NESTED"}, "reviewerName": "Shelly", )"
           R"("reviewText": "As advertised.", "summary": "Five Stars", "unixReviewTime": )" +
           std::to_string(time) + R"(, "image": ["https://images/x.jpg"]})" + "\n";
}

std::string yelpReview(const std::string &user, const std::string &business, const std::string &date)
{
    static int counter = 0;
    return R"({"review_id":"r)" + std::to_string(++counter) + R"(","user_id":")" + user + R"(","business_id":")" +
           business + R"(","stars":3.0,"useful":0,"funny":0,"cool":0,"text":"If you decide to eat here, \"just\" be aware.\n","date":")" +
           date + "\"}\n";
}

} // namespace

class TestFormatsAmazonYelp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reads2014GzipReviewsAndPythonLiteralMetadata()
    {
        test::Scratch scratch;
        const auto reviews = scratch.writeGzip("reviews_Beauty_5.json.gz",
                                               review2014("U1", "B001", 1252800000) + review2014("U2", "B001", 1100000000) +
                                                   review2014("U1", "B002", 1100000000));
        // Python literals: single quotes, a double-quoted string holding a quote, \' \" \xe8
        // \u00e9 escapes, nested category paths sharing their top level, dicts we drop.
        const auto meta = scratch.writeGzip(
            "meta_Beauty.json.gz",
            R"x({'asin': 'B001', 'title': "L'Oreal \"Pure\" Cr\xe8me", 'brand': 'Caf\u00e9 Co', 'price': 12.5, 'salesRank': {'Beauty': 1234}, 'imUrl': 'http://ecx.images-amazon.com/images/I/51.jpg', 'related': {'also_bought': ['B002', 'B003']}, 'categories': [['Beauty', 'Skin Care', 'Face'], ['Beauty', 'Makeup'], ['Beauty']], 'description': 'It\'s a cream.'})x"
            "\n"
            R"x({'asin': 'B002', 'categories': [['Beauty']], 'price': 3})x"
            "\n");
        const Dataset d = importFiles(reviews, meta);
        QCOMPARE(d.report.format, std::string("amazon"));
        QCOMPARE(d.report.itemsFormat, std::string("amazon"));
        QCOMPARE(d.userCount(), std::size_t(2));
        QCOMPARE(d.interactionCount(), std::size_t(3));
        QCOMPARE(sequenceOf(d, "U1"), (std::vector<std::string>{"B002", "B001"}));
        QCOMPARE(timesOf(d, "U1"), (std::vector<std::int64_t>{1100000000, 1252800000}));
        QCOMPARE(fieldsOf(d, "B001"),
                 QString::fromUtf8(R"({"title":"L'Oreal \"Pure\" Crème","brand":"Café Co",)"
                                   R"("categories":["Beauty","Skin Care","Face","Makeup"],"description":"It's a cream.",)"
                                   R"("price":12.5})"));
        QCOMPARE(fieldsOf(d, "B002"), QString(R"({"categories":["Beauty"],"price":3})"));
        QCOMPARE(d.report.metadataRecords, std::uint64_t(2));
        QCOMPARE(d.report.itemsWithoutText, std::uint64_t(0));
    }

    void reads2018ReviewsAndJsonMetadata()
    {
        test::Scratch scratch;
        const auto reviews = scratch.write("All_Beauty.json", review2018("A3", "B0000530HU", 1472688000) +
                                                                  review2018("A3", "B00006L9LC", 1472600000) +
                                                                  review2018("A4", "B00006L9LC", 1500000000) +
                                                                  review2018("A4", "B0002JHI1I", 1500000001) +
                                                                  review2018("A4", "B000X", 1500000002));
        const auto meta = scratch.write(
            "meta_All_Beauty.json",
            R"({"category": ["Beauty", "Skin Care", "Face", "Beauty"], "tech1": "", "description": ["Gentle cleanser.", "", "For all skin types."], "fit": "", "title": "Gentle Face Wash", "also_buy": ["B01"], "tech2": "", "brand": "Acme", "feature": ["Soap-free"], "rank": "55,555 in Beauty", "also_view": [], "main_cat": "All Beauty", "similar_item": "", "date": "", "price": "$12.99", "asin": "B0000530HU", "imageURL": [], "imageURLHighRes": []})"
            "\n"
            R"({"category": [], "description": [], "title": "Salon Dryer", "brand": "", "price": "$1,299.00", "asin": "B00006L9LC"})"
            "\n"
            R"({"category": [], "title": "Brush Set", "price": "$10.99 - $25.99", "asin": "B0002JHI1I"})"
            "\n"
            R"({"category": [], "description": [], "title": "", "brand": "", "price": "", "asin": "B000X"})"
            "\n");
        const Dataset d = importFiles(reviews, meta);
        QCOMPARE(d.report.format, std::string("amazon"));
        // The nested "style" keys must not replace the review's own user and product.
        QCOMPARE(sequenceOf(d, "A3"), (std::vector<std::string>{"B00006L9LC", "B0000530HU"}));
        QVERIFY(std::find(d.userRawIds.begin(), d.userRawIds.end(), "NESTED") == d.userRawIds.end());
        QCOMPARE(fieldsOf(d, "B0000530HU"),
                 QString(R"({"title":"Gentle Face Wash","brand":"Acme","categories":["Beauty","Skin Care","Face"],)"
                         R"("description":"Gentle cleanser. For all skin types.","price":12.99})"));
        QCOMPARE(fieldsOf(d, "B00006L9LC"), QString(R"({"title":"Salon Dryer","price":1299.0})"));
        QCOMPARE(fieldsOf(d, "B0002JHI1I"), QString(R"({"title":"Brush Set","price":"$10.99 - $25.99"})"));
        QCOMPARE(fieldsOf(d, "B000X"), QString("{}"));
        QCOMPARE(d.report.itemsWithoutText, std::uint64_t(1));
    }

    void ordersEachUsersReviewsByTimeKeepingFileOrderForTies()
    {
        test::Scratch scratch;
        // Grouped by product, as the dumps are.
        const auto reviews = scratch.write("reviews.json", review2014("U1", "PA", 300) + review2014("U2", "PA", 100) +
                                                               review2014("U1", "PB", 100) + review2014("U2", "PB", 100) +
                                                               review2014("U1", "PC", 200) + review2014("U2", "PC", 100));
        const Dataset d = importFiles(reviews);
        QCOMPARE(sequenceOf(d, "U1"), (std::vector<std::string>{"PB", "PC", "PA"}));
        QCOMPARE(timesOf(d, "U1"), (std::vector<std::int64_t>{100, 200, 300}));
        QCOMPARE(sequenceOf(d, "U2"), (std::vector<std::string>{"PA", "PB", "PC"}));
        QCOMPARE(d.report.timestampTies, std::uint64_t(2));
    }

    void appliesTheDefaultFiveCoreAndCountsMetadata()
    {
        test::Scratch scratch;
        std::string lines;
        std::int64_t time = 1000;
        auto add = [&](const std::string &user, const std::string &item) { lines += review2014(user, item, time++); };
        // A 5x5 core; u6 has 4 reviews (drops first); i7's fifth review is u6's (drops second);
        // i6 has 2 reviews (drops first).
        for (const std::string item : {"i1", "i2", "i3", "i4", "i5"}) {
            for (const std::string user : {"u1", "u2", "u3", "u4", "u5"})
                add(user, item);
        }
        for (const std::string item : {"i1", "i2", "i3"})
            add("u6", item);
        for (const std::string user : {"u1", "u2", "u3", "u4", "u6"})
            add(user, "i7");
        add("u1", "i6");
        add("u2", "i6");
        const auto reviews = scratch.write("reviews_Toys.json", lines);
        const auto meta = scratch.write("meta_Toys.json", "{'asin': 'i1', 'title': 'One'}\n"
                                                          "{'asin': 'i2', 'title': 'Two'}\n"
                                                          "{'asin': 'i3', 'brand': 'Three'}\n"
                                                          "{'asin': 'i5', 'price': 9.99, 'categories': [[]]}\n"
                                                          "{'asin': 'i6', 'title': 'Dropped'}\n"
                                                          "{'asin': 'i7', 'title': 'Dropped too'}\n"
                                                          "{'asin': 'unknown', 'title': 'Never reviewed'}\n");
        const Dataset d = importFiles(reviews, meta, std::nullopt);
        QCOMPARE(d.report.kcore, 5);
        QCOMPARE(d.report.interactionRows, std::uint64_t(35));
        QCOMPARE(d.userCount(), std::size_t(5));
        QCOMPARE(d.itemCount(), std::size_t(5));
        QCOMPARE(d.interactionCount(), std::size_t(25));
        QCOMPARE(d.report.kcoreRemovedUsers, std::uint64_t(1));
        QCOMPARE(d.report.kcoreRemovedItems, std::uint64_t(2));
        QCOMPARE(d.report.kcoreRemovedInteractions, std::uint64_t(10));
        QCOMPARE(d.report.kcoreIterations, 2);
        QCOMPARE(d.report.metadataRecords, std::uint64_t(7));
        QCOMPARE(d.report.metadataIgnored, std::uint64_t(3));
        // i4 has no record, i5 only a price: neither has text.
        QCOMPARE(d.report.itemsWithoutText, std::uint64_t(2));
        QCOMPARE(fieldsOf(d, "i5"), QString(R"({"price":9.99})"));
        QCOMPARE(fieldsOf(d, "i7"), QString("<no such item>"));
    }

    void detectsAmazonAndYelpFromContent()
    {
        test::Scratch scratch;
        const auto reviews2014 = scratch.writeGzip("a.gz", review2014("U1", "B1", 1));
        const auto reviews2018 = scratch.write("b", review2018("U1", "B1", 1));
        const auto meta2014 = scratch.write("c", "{'asin': 'B1', 'title': 'T', 'categories': [['Toys']]}\n");
        const auto meta2018 = scratch.write("d", R"({"category": ["Toys"], "title": "T", "asin": "B1"})" "\n");
        const auto review = scratch.write("e", yelpReview("Y1", "BZ", "2016-03-09"));
        const auto business = scratch.write("f", R"({"business_id":"BZ","name":"Zeta","city":"Reno","categories":null})" "\n");
        QCOMPARE(detectInteractionsFormat(reviews2014).name(), std::string("amazon"));
        QCOMPARE(detectInteractionsFormat(reviews2018).name(), std::string("amazon"));
        QCOMPARE(detectItemsFormat(meta2014).name(), std::string("amazon"));
        QCOMPARE(detectItemsFormat(meta2018).name(), std::string("amazon"));
        QCOMPARE(detectInteractionsFormat(review).name(), std::string("yelp"));
        QCOMPARE(detectItemsFormat(business).name(), std::string("yelp"));
        // The other way round, neither claims the other's files.
        QCOMPARE(formatByName("amazon").detectItems(FileSniff::of(business)), 0);
        QCOMPARE(formatByName("amazon").detectInteractions(FileSniff::of(meta2018)), 0);
        QCOMPARE(formatByName("yelp").detectInteractions(FileSniff::of(reviews2018)), 0);
        QCOMPARE(formatByName("yelp").detectItems(FileSniff::of(review)), 0);
        const Dataset d = importFiles(review, business, 1, "");
        QCOMPARE(d.report.format, std::string("yelp"));
        QCOMPARE(d.report.itemsFormat, std::string("yelp"));
        QCOMPARE(fieldsOf(d, "BZ"), QString(R"({"title":"Zeta","city":"Reno"})"));
    }

    void malformedJsonLineNamesItsLine()
    {
        test::Scratch scratch;
        const auto file = scratch.write("reviews.json", review2014("U1", "B1", 1) + review2014("U2", "B1", 2) +
                                                            R"({"reviewerID": "U3", "asin": "B1", "unixReviewTime": 3)" "\n" +
                                                            review2014("U4", "B1", 4));
        const InputError error = inputErrorOf([&] { importFiles(file, {}, 1, "amazon"); });
        QCOMPARE(error.line(), std::uint64_t(3));
        QVERIFY2(QString(error.what()).contains("reviews.json:3"), error.what());
        QVERIFY2(QString(error.what()).contains("not valid JSON"), error.what());

        const auto notObject = scratch.write("array.json", review2014("U1", "B1", 1) + "[1, 2]\n");
        const InputError arrayError = inputErrorOf([&] { importFiles(notObject, {}, 1, "amazon"); });
        QCOMPARE(arrayError.line(), std::uint64_t(2));
    }

    void missingReviewFieldsAreNamed()
    {
        test::Scratch scratch;
        const auto noTime = scratch.write("r1.json", review2014("U1", "B1", 1) +
                                                         R"({"reviewerID": "U2", "asin": "B1", "overall": 5.0})" "\n");
        const InputError timeError = inputErrorOf([&] { importFiles(noTime, {}, 1, "amazon"); });
        QCOMPARE(timeError.line(), std::uint64_t(2));
        QCOMPARE(timeError.field(), std::string("unixReviewTime"));
        QVERIFY(QString(timeError.what()).contains("unixReviewTime"));

        const auto noAsin = scratch.write("r2.json", R"({"reviewerID": "U2", "unixReviewTime": 5})" "\n");
        QCOMPARE(inputErrorOf([&] { importFiles(noAsin, {}, 1, "amazon"); }).field(), std::string("asin"));
        const auto numericUser = scratch.write("r3.json", R"({"reviewerID": 7, "asin": "B", "unixReviewTime": 5})" "\n");
        QCOMPARE(inputErrorOf([&] { importFiles(numericUser, {}, 1, "amazon"); }).field(), std::string("reviewerID"));
        const auto badTime = scratch.write("r4.json", R"({"reviewerID": "U", "asin": "B", "unixReviewTime": "soon"})" "\n");
        QCOMPARE(inputErrorOf([&] { importFiles(badTime, {}, 1, "amazon"); }).field(), std::string("unixReviewTime"));
    }

    void badMetadataIsAnErrorAtItsLine()
    {
        test::Scratch scratch;
        const auto reviews = scratch.write("reviews.json", review2014("U1", "B1", 1) + review2014("U1", "B2", 2));
        const auto duplicate = scratch.write("meta_dup.json", "{'asin': 'B1', 'title': 'One'}\n"
                                                              "{'asin': 'B2', 'title': 'Two'}\n"
                                                              "{'asin': 'B1', 'title': 'One again'}\n");
        // Amazon 2018 metadata repeats products: the first record wins, the rest are counted.
        const Dataset deduplicated = importFiles(reviews, duplicate, 1, "amazon");
        QCOMPARE(QString::fromStdString(deduplicated.itemFields[0]["title"].get<std::string>()), QString("One"));
        QCOMPARE(deduplicated.report.metadataDuplicates, std::uint64_t(1));
        QCOMPARE(deduplicated.report.warnings.size(), std::size_t(1));

        const auto broken = scratch.write("meta_bad.json", "{'asin': 'B1', 'title': 'One'}\n{'asin': 'B2', 'title': 'Two}\n");
        QCOMPARE(inputErrorOf([&] { importFiles(reviews, broken, 1, "amazon"); }).line(), std::uint64_t(2));
        const auto noAsin = scratch.write("meta_noasin.json", R"({"title": "Orphan"})" "\n");
        QCOMPARE(inputErrorOf([&] { importFiles(reviews, noAsin, 1, "amazon"); }).field(), std::string("asin"));
        const auto badTitle = scratch.write("meta_title.json", "{'asin': 'B1', 'title': ['not', 'text']}\n");
        QCOMPARE(inputErrorOf([&] { importFiles(reviews, badTitle, 1, "amazon"); }).field(), std::string("title"));
    }

    void yelpDatesAreExactUtcSeconds()
    {
        test::Scratch scratch;
        const auto reviews = scratch.write("review.json", yelpReview("Y1", "B1", "2016-03-09 00:00:00") +
                                                              yelpReview("Y1", "B2", "2016-03-09 14:05:07") +
                                                              yelpReview("Y1", "B3", "2000-02-29 23:59:59") +
                                                              yelpReview("Y1", "B4", "1999-01-01") +
                                                              yelpReview("Y1", "B5", "2019-12-31T23:59:59"));
        const Dataset d = importFiles(reviews, {}, 1, "yelp");
        QCOMPARE(sequenceOf(d, "Y1"), (std::vector<std::string>{"B4", "B3", "B1", "B2", "B5"}));
        QCOMPARE(timesOf(d, "Y1"), (std::vector<std::int64_t>{915148800, 951868799, 1457481600, 1457532307, 1577836799}));

        for (const std::string bad : {"2016-02-30", "2015-02-29 00:00:00", "2016-13-01", "2016-03-09 24:00:00", "09/03/2016",
                                      "2016-03-09 00:00:00Z"}) {
            const auto file = scratch.write("bad.json", yelpReview("Y1", "B1", "2016-03-09") + yelpReview("Y1", "B1", bad));
            const InputError error = inputErrorOf([&] { importFiles(file, {}, 1, "yelp"); });
            QCOMPARE(error.line(), std::uint64_t(2));
            QCOMPARE(error.field(), std::string("date"));
        }
    }

    void yelpBusinessesGiveSplitCategories()
    {
        test::Scratch scratch;
        const auto reviews = scratch.write("review.json", yelpReview("Y1", "Pns2l4", "2018-07-07 22:09:11") +
                                                              yelpReview("Y1", "mpf3x", "2018-07-08 22:09:11"));
        const auto business = scratch.write(
            "business.json",
            R"({"business_id":"Pns2l4","name":"Abby Rappoport, LAC","address":"1616 Chapala St, Ste 2","city":"Santa Barbara","state":"CA","postal_code":"93101","latitude":34.42,"longitude":-119.71,"stars":5.0,"review_count":7,"is_open":0,"attributes":{"ByAppointmentOnly":"True"},"categories":"Doctors, Naturopathic\/Holistic, Acupuncture, Health & Medical","hours":null})"
            "\n"
            R"({"business_id":"mpf3x","name":"The UPS Store","city":"Affton","state":"MO","categories":null,"hours":{"Monday":"0:0-0:0"}})"
            "\n"
            R"({"business_id":"other","name":"Never reviewed","categories":"Food"})"
            "\n");
        const Dataset d = importFiles(reviews, business, 1, "yelp");
        QCOMPARE(fieldsOf(d, "Pns2l4"),
                 QString(R"({"title":"Abby Rappoport, LAC","categories":["Doctors","Naturopathic/Holistic","Acupuncture",)"
                         R"("Health & Medical"],"city":"Santa Barbara","state":"CA"})"));
        QCOMPARE(fieldsOf(d, "mpf3x"), QString(R"({"title":"The UPS Store","city":"Affton","state":"MO"})"));
        QCOMPARE(d.report.metadataIgnored, std::uint64_t(1));

        const auto broken = scratch.write("business_bad.json", R"({"business_id":"Pns2l4","name":"A")" "\n");
        const InputError error = inputErrorOf([&] { importFiles(reviews, broken, 1, "yelp"); });
        QCOMPARE(error.line(), std::uint64_t(1));
        QVERIFY2(QString(error.what()).contains("business_bad.json:1"), error.what());
    }

    void yelpAppliesTheDefaultFiveCore()
    {
        test::Scratch scratch;
        std::string lines;
        int day = 0;
        for (const std::string user : {"y1", "y2", "y3", "y4", "y5"}) {
            for (const std::string business : {"b1", "b2", "b3", "b4", "b5"})
                lines += yelpReview(user, business, "2017-01-1" + std::to_string(day++ % 10));
        }
        lines += yelpReview("y6", "b1", "2017-02-01") + yelpReview("y6", "b2", "2017-02-02");
        const Dataset d = importFiles(scratch.write("review.json", lines), {}, std::nullopt, "yelp");
        QCOMPARE(d.report.kcore, 5);
        QCOMPARE(d.userCount(), std::size_t(5));
        QCOMPARE(d.itemCount(), std::size_t(5));
        QCOMPARE(d.interactionCount(), std::size_t(25));
        QCOMPARE(d.report.kcoreRemovedUsers, std::uint64_t(1));
        QCOMPARE(d.report.kcoreRemovedInteractions, std::uint64_t(2));
        QCOMPARE(sequenceOf(d, "y6"), std::vector<std::string>{"<no such user>"});
    }
};

QTEST_APPLESS_MAIN(TestFormatsAmazonYelp)
#include "test_formats_amazon_yelp.moc"
