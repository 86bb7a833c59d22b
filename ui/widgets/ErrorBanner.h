#pragma once

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace idgen::ui {

// An error that stays on screen until the user dismisses it: a one-line summary, the full
// message, and optional details (log lines, paths) behind a toggle. Used instead of modal boxes
// so that work in the window can go on and tests can read the message.
class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showError(const QString &summary, const QString &message, const QString &details = {});
    QString message() const;
    bool isShowing() const { return !isHidden(); }

public Q_SLOTS:
    void dismiss();

Q_SIGNALS:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    QLabel *m_icon;
    QLabel *m_summary;
    QLabel *m_message;
    QPushButton *m_detailsButton;
    QPlainTextEdit *m_details;
};

} // namespace idgen::ui
