// The teaching promise, end to end through the CLI: on the demo dataset the `demo` recommender
// config (shortened to 4 epochs to fit the test budget) reaches at least half of first-order
// Markov's test HR@10, and several times popularity's. Label slow: a few CPU minutes.
#include "support/TestSupport.h"
#include "train/BuiltinConfigs.h"

#include <regex>

using namespace idgen;

class TestDemoLearning : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoConfigBeatsHalfOfMarkov()
    {
        const QString project = QString::fromStdString(m_scratch.path("demo.idgenrec").string());
        const test::CliResult demo = test::runCli({"demo", "--project", project});
        QVERIFY2(demo.code == 0, demo.all().c_str());

        const auto hr10 = [&](const test::CliResult &result) {
            if (result.code != 0)
                qWarning("%s", result.all().c_str());
            return test::lastJsonLine(result.out)["test"]["metrics"]["hr@10"].get<double>();
        };
        const double markov = hr10(test::runCli({"baseline", "--project", project, "--dataset", "demo", "--model",
                                                  "markov", "--json"}));
        const double pop =
            hr10(test::runCli({"baseline", "--project", project, "--dataset", "demo", "--model", "pop", "--json"}));

        std::string config = resolveConfig("demo").text;
        config = std::regex_replace(config, std::regex("\nepochs = [0-9]+"), "\nepochs = 4");
        QVERIFY(config.find("\nepochs = 4") != std::string::npos);
        const auto file = m_scratch.write("demo-short.toml", config);
        const test::CliResult trained = test::runCli({"train", "--project", project, "--dataset", "demo", "--config",
                                                      QString::fromStdString(file.string()), "--json"},
                                                     1800000);
        QVERIFY2(trained.code == 0, trained.all().c_str());
        const double model = hr10(trained);
        qInfo("demo test HR@10: recommender (4 epochs) %.4f, markov %.4f, pop %.4f", model, markov, pop);
        QVERIFY2(model >= 0.5 * markov, "the demo recommender should reach half of Markov's HR@10");
        QVERIFY2(model >= 3.0 * pop, "the demo recommender should be well above popularity");
    }

private:
    test::Scratch m_scratch;
};

QTEST_GUILESS_MAIN(TestDemoLearning)
#include "test_demo_learning.moc"
