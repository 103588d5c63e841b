"""Excel ledgers (台账): a titled sheet with a bold, frozen header and sensible column widths."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter


def ledger_workbook(sheets: list[tuple[str, str, list[str], list[list]]]) -> bytes:
    """sheets: (sheet name, title line, headers, rows). Returns the .xlsx bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="999999")
    for name, title, headers, rows in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.append(headers)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2DCDB")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        for row in rows:
            ws.append([_safe(v) for v in row])
        for index, header in enumerate(headers, start=1):
            longest = max([len(str(header))] + [len(str(r[index - 1])) for r in rows[:500] if r[index - 1] is not None])
            ws.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest * 2 + 2))
        ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _safe(value):
    """Text that starts like a formula is kept as text (formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
