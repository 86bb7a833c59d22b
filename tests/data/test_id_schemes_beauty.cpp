// The registry's number and new-token schemes on Beauty (12,101 items): every item a unique ID,
// and CID's clustering of the 12,101-item co-occurrence graph within 2 minutes on a 2-core CPU.
// Skips when ../shared/datasets is absent.
#include "ids/IdAssignmentJob.h"
#include "ids/IdSnapshotRepository.h"
#include "jobs/ImportJob.h"
#include "store/Database.h"
#include "support/TestSupport.h"

using namespace idgen;

class TestIdSchemesBeauty : public QObject {
    Q_OBJECT

private:
    test::Scratch m_scratch;
    std::filesystem::path m_project;

private Q_SLOTS:
    void init() { IDGEN_REQUIRE_SHARED_DATASETS(); }

    void everySchemeGivesEveryItemAUniqueId_data()
    {
        QTest::addColumn<QString>("scheme");
        for (const char *scheme : {"sequential", "random", "atomic", "cid"})
            QTest::newRow(scheme) << scheme;
    }

    void everySchemeGivesEveryItemAUniqueId()
    {
        QFETCH(QString, scheme);
        JobEvents quiet;
        if (m_project.empty()) {
            m_project = m_scratch.path("beauty.idgenrec");
            Database db(m_project);
            ImportOptions import;
            import.name = "beauty";
            import.sources.interactions = test::sharedDatasets() / "beauty/user_sequence.txt";
            import.sources.items = test::sharedDatasets() / "beauty/Amazon_Beauty.item";
            runImport(db, import, quiet);
        }
        Database db(m_project, Database::Mode::OpenExisting);
        IdAssignmentOptions options;
        options.dataset = "beauty";
        options.scheme = scheme.toStdString();
        const IdAssignmentReport report = assignIds(db, options, quiet);
        QCOMPARE(report.items.entities, std::size_t(12101));
        QCOMPARE(report.items.unique, std::size_t(12101));
        const nlohmann::json record = report.snapshot.stats["scheme"];
        qInfo().noquote() << scheme << "mean tokens" << report.items.meanTokens << "scheme seconds"
                          << record["seconds"].get<double>() << QString::fromStdString(record["details"].dump());
        if (scheme == "cid")
            QVERIFY2(record["seconds"].get<double>() < 120.0, "CID on Beauty should take under 2 minutes");
    }
};

QTEST_GUILESS_MAIN(TestIdSchemesBeauty)
#include "test_id_schemes_beauty.moc"
