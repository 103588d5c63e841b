"""Bar charts as PNG images for the Word notices, drawn offline with numpy and zlib only.

No plotting library is installed (no matplotlib, no Pillow) and nothing may load at run time, so
the chart is a plain raster: bars, a baseline, light grid lines, the value above each bar and the
bar's number below it, in a small built-in 5×7 digit font. The names go into the document's table
next to the chart (the numbers match), which is also what a screen reader and WPS print reliably.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

__all__ = ["bar_chart_png", "png_bytes"]

# 5×7 glyphs for what the chart writes: digits, '%', '.'.
_GLYPHS = {
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
    "%": ["11001", "11010", "00010", "00100", "01000", "01011", "10011"],
    ".": ["00000", "00000", "00000", "00000", "00000", "01100", "01100"],
}
RED = (164, 22, 26)
GREY = (108, 117, 125)
LIGHT = (222, 226, 230)
BLACK = (33, 37, 41)


def png_bytes(pixels: np.ndarray) -> bytes:
    """Encode an H×W×3 uint8 array as a PNG (truecolour, no interlace)."""
    height, width, _ = pixels.shape
    raw = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # filter byte 0 on every row
    raw[:, 1:] = pixels.reshape(height, width * 3)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw.tobytes(), 9))
            + chunk(b"IEND", b""))


def _text(canvas: np.ndarray, text: str, x_center: int, y_top: int, scale: int = 2, color=BLACK) -> None:
    width = len(text) * 6 * scale - scale
    x = x_center - width // 2
    for char in text:
        glyph = _GLYPHS.get(char)
        if glyph:
            for row, bits in enumerate(glyph):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        y0, x0 = y_top + row * scale, x + col * scale
                        if 0 <= y0 and y0 + scale <= canvas.shape[0] and 0 <= x0 and x0 + scale <= canvas.shape[1]:
                            canvas[y0:y0 + scale, x0:x0 + scale] = color
        x += 6 * scale


def _format(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"
    return str(int(value))


def bar_chart_png(values: list[float], *, percent: bool = False, width: int = 1200, height: int = 520,
                  highlight: list[bool] | None = None) -> bytes:
    """Bars numbered 1…n from left to right; `highlight[i]` draws bar i in red (e.g. units late)."""
    canvas = np.full((height, width, 3), 255, dtype=np.uint8)
    left, right, top, bottom = 40, 20, 40, 50
    plot_h, plot_w = height - top - bottom, width - left - right
    peak = 100.0 if percent else max([*values, 1])
    for step in range(1, 5):  # light grid lines at quarters
        y = top + plot_h - int(plot_h * step / 4)
        canvas[y, left:left + plot_w] = LIGHT
    canvas[top + plot_h:top + plot_h + 2, left:left + plot_w] = BLACK
    canvas[top:top + plot_h + 2, left:left + 2] = BLACK
    n = max(len(values), 1)
    slot = plot_w / n
    bar_w = max(int(slot * 0.6), 2)
    scale = 2 if slot >= 40 else 1
    for i, value in enumerate(values):
        x0 = left + int(slot * i + (slot - bar_w) / 2)
        bar_h = int(plot_h * min(value, peak) / peak) if peak else 0
        color = RED if (highlight[i] if highlight else True) else GREY
        if bar_h:
            canvas[top + plot_h - bar_h:top + plot_h, x0:x0 + bar_w] = color
        center = x0 + bar_w // 2
        _text(canvas, _format(value, percent), center, max(top + plot_h - bar_h - 9 * scale - 4, 2), scale)
        _text(canvas, str(i + 1), center, top + plot_h + 10, scale, GREY)
    return png_bytes(canvas)
