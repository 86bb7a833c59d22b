#include "widgets/HelpDialogs.h"

#include "runtime/Runtime.h"
#include "store/Database.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMessageBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <memory>

namespace idgen::ui {

QList<QAction *> shortcutActions(const QWidget &window)
{
    QList<QAction *> own;
    QList<QAction *> others;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcuts().isEmpty())
            continue;
        (action->parent() == &window ? own : others) << action;
    }
    return own + others;
}

QList<QPair<QString, QString>> shortcutSheetRows(const QList<QAction *> &actions)
{
    QList<QPair<QString, QString>> rows;
    for (const QAction *action : actions) {
        if (action->shortcuts().isEmpty())
            continue;
        QStringList keys;
        for (const auto &key : action->shortcuts())
            keys << key.toString(QKeySequence::NativeText);
        rows.append({action->text().remove('&').remove(QStringLiteral("…")), keys.join(QStringLiteral(", "))});
    }
    return rows;
}

void showShortcutSheet(QWidget *parent, const QList<QAction *> &actions)
{
    auto *dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QObject::tr("Keyboard Shortcuts"));
    auto *table = new QTableWidget(0, 2, dialog);
    table->setObjectName("shortcutTable");
    table->setHorizontalHeaderLabels({QObject::tr("Action"), QObject::tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (const auto &[text, keys] : shortcutSheetRows(actions)) {
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(text));
        table->setItem(row, 1, new QTableWidgetItem(keys));
    }
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(420, 360);
    dialog->show();
}

void showAbout(QWidget *parent, const Database *db)
{
    QString sqlite = QObject::tr("unknown");
    try {
        // Without an open project an in-memory database answers the version question.
        std::unique_ptr<Database> memory = db ? nullptr : std::make_unique<Database>(":memory:");
        auto statement = (db ? *db : *memory).prepare("SELECT sqlite_version()");
        if (statement.step())
            sqlite = QString::fromStdString(statement.text(0));
    } catch (const std::exception &) {
        // The version line stays "unknown"; About must still open.
    }
    const RuntimeInfo runtime = probeRuntime();
    const QString text =
        QObject::tr("<h3>IDGenRec Workbench %1</h3>"
                    "<p>Generative recommendation with textual item IDs: import datasets, train, and inspect "
                    "how IDs and beam searches behave.</p>"
                    "<table cellpadding='2'>"
                    "<tr><td>Qt</td><td>%2 (built with %3)</td></tr>"
                    "<tr><td>LibTorch</td><td>%4, CUDA %5, %6 threads, %7 GFLOP/s matmul</td></tr>"
                    "<tr><td>SQLite</td><td>%8</td></tr>"
                    "<tr><td>nlohmann/json</td><td>%9</td></tr>"
                    "</table>")
            .arg(QStringLiteral(IDGEN_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                 QString::fromStdString(runtime.torchVersion),
                 runtime.cudaAvailable ? QObject::tr("available") : QObject::tr("not available"))
            .arg(runtime.torchThreads)
            .arg(runtime.matmulGflops, 0, 'f', 1)
            .arg(sqlite, QStringLiteral("%1.%2.%3")
                             .arg(NLOHMANN_JSON_VERSION_MAJOR)
                             .arg(NLOHMANN_JSON_VERSION_MINOR)
                             .arg(NLOHMANN_JSON_VERSION_PATCH));
    QMessageBox::about(parent, QObject::tr("About IDGenRec Workbench"), text);
}

} // namespace idgen::ui
