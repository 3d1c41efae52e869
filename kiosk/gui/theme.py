"""The look: colours and type sizes from ``ui/theme.toml``, applied to ``ui/kiosk.qss``.

Type scales with the window (a unit is 1/100 of its short side: 7.68 px at
1366x768, 768x1024 and 1024x768, 8 px at 1280x800, 10.8 px at 1920x1080 and
1080x1920), so one stylesheet holds from 1366x768 to 1920x1080 and in portrait.
Large text multiplies each type size by its factor (``[large_text]`` in
``ui/theme.toml``). Only type follows these sizes: the QR code, the pictograms and
the controls are sized from the screen and its millimetres, so large text never
makes them smaller (tests/test_fit_window_manager.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QWidget

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Theme:
    colors: dict[str, str]
    contrast_pairs: list[tuple[str, str]]
    type: dict[str, float]
    qss_template: str
    #: large-text factor per type size (a size not listed: ``type.large_text``)
    large: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, ui: Path) -> Theme:
        data = tomllib.loads((ui / "theme.toml").read_text(encoding="utf-8"))
        return cls(
            colors=dict(data["colors"]),
            contrast_pairs=[tuple(pair) for pair in data["contrast"]["pairs"]],
            type=dict(data["type"]),
            qss_template=(ui / "kiosk.qss").read_text(encoding="utf-8"),
            large=dict(data.get("large_text", {})),
        )

    def sizes(self, width: int, height: int, large_text: bool = False) -> dict[str, int]:
        """Pixel sizes for a window of ``width`` x ``height``."""
        unit = min(width, height) / 100

        def factor(name: str) -> float:
            return self.large.get(name, self.type["large_text"]) if large_text else 1.0

        sizes = {name: round(value * unit * factor(name)) for name, value in self.type.items()
                 if name != "large_text"}
        sizes["radius"] = round(2.5 * unit)
        return sizes

    def stylesheet(self, width: int, height: int, large_text: bool = False) -> str:
        values = {name: f"{px}px" for name, px in self.sizes(width, height, large_text).items()}
        values.update(self.colors)

        def substitute(match: re.Match[str]) -> str:
            return values.get(match.group(1), match.group(0))

        return re.sub(r"@([a-z_]+)", substitute, self.qss_template)


def load_fonts(ui: Path) -> list[str]:
    """Register the fonts shipped in ``ui/fonts``; returns their family names."""
    families: list[str] = []
    for font in sorted((ui / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(font))
        families += QFontDatabase.applicationFontFamilies(font_id)
    return sorted(set(families))


def px_per_mm(widget: QWidget) -> float:
    """Pixels per millimetre from the screen's logical DPI."""
    return widget.logicalDpiY() / MM_PER_INCH


def relative_luminance(color: str) -> float:
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)
