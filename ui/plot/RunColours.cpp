#include "plot/RunColours.h"

#include "Style.h"

#include <array>

namespace idgen::ui {

QColor runColour(std::int64_t run, const QPalette &palette)
{
    // Tableau 10: distinct for most colour-blind readers, readable on white and (lightened) black.
    static constexpr std::array<QRgb, 10> kColours{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                   0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    const std::int64_t index = run > 0 ? run - 1 : -run;
    QColor colour = QColor::fromRgb(kColours[static_cast<std::size_t>(index % 10)]);
    switch ((index / 10) % 3) {
    case 1: colour = colour.darker(135); break;
    case 2: colour = colour.lighter(125); break;
    default: break;
    }
    return style::isDark(palette) ? colour.lighter(120) : colour;
}

} // namespace idgen::ui
