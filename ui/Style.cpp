#include "Style.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace idgen::ui::style {
namespace {

QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor errorText(const QPalette &palette)
{
    return isDark(palette) ? QColor(255, 120, 120) : QColor(176, 0, 32);
}

QColor errorBackground(const QPalette &palette)
{
    return blend(palette.color(QPalette::Base), QColor(220, 40, 40), isDark(palette) ? 0.30 : 0.14);
}

QPalette invalidInputPalette(const QPalette &palette)
{
    QPalette tinted = palette;
    tinted.setColor(QPalette::Base, errorBackground(palette));
    return tinted;
}

QColor addedText(const QPalette &palette)
{
    return isDark(palette) ? QColor(126, 224, 126) : QColor(10, 125, 32);
}

QColor highlightTint(const QPalette &palette)
{
    return blend(palette.color(QPalette::Base), palette.color(QPalette::Highlight), isDark(palette) ? 0.45 : 0.30);
}

QPalette darkPalette()
{
    const QColor window(45, 45, 48);
    const QColor base(30, 30, 32);
    const QColor text(222, 222, 222);
    const QColor disabled(130, 130, 130);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(40, 40, 44));
    p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(53, 53, 57));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(255, 110, 110));
    p.setColor(QPalette::Light, QColor(80, 80, 86));
    p.setColor(QPalette::Midlight, QColor(66, 66, 70));
    p.setColor(QPalette::Mid, QColor(95, 95, 100));
    p.setColor(QPalette::Dark, QColor(25, 25, 27));
    p.setColor(QPalette::Shadow, QColor(10, 10, 10));
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(110, 180, 255));
    p.setColor(QPalette::LinkVisited, QColor(190, 150, 255));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(70, 70, 74));
    return p;
}

namespace {

// The style the platform chose, kept so the light theme can return to it.
QString &platformStyle()
{
    static QString name;
    return name;
}

bool &darkFlag()
{
    static bool dark = false;
    return dark;
}

} // namespace

void applyTheme(bool dark)
{
    if (platformStyle().isEmpty() && QApplication::style())
        platformStyle() = QApplication::style()->name();
    if (dark) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    } else {
        QApplication::setStyle(QStyleFactory::create(platformStyle()));
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
    darkFlag() = dark;
}

bool darkThemeApplied()
{
    return darkFlag();
}

bool rememberedDarkTheme()
{
    return QSettings().value(QStringLiteral("appearance/darkTheme"), false).toBool();
}

void rememberDarkTheme(bool dark)
{
    QSettings().setValue(QStringLiteral("appearance/darkTheme"), dark);
}

} // namespace idgen::ui::style
