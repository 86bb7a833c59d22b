#include "Style.h"

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

} // namespace idgen::ui::style
