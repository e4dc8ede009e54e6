"""The XLSX layout of a coding sheet (openpyxl through pandas' ExcelWriter).

Sheet ``codes``: frozen header row, wrapped text, widths that fit, a drop-down list of
the allowed codes on each categorical column. Hidden sheet ``codebook``
(``variable, value``): lets :func:`~analysis.validation.codes.read_codes` check the
filled sheet without further files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.validation.spreadsheet import text_cells

CODES_SHEET = "codes"
CODEBOOK_SHEET = "codebook"
_WIDTHS = {"unit": 8, "title": 30, "text": 90, "note": 30}


def write_coding_workbook(coding_sheet, path: Path) -> Path:
    """Write ``coding_sheet.sheet`` and its codebook to ``path``; returns the path."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path.parent.mkdir(parents=True, exist_ok=True)
    sheet, codebook = coding_sheet.sheet, coding_sheet.codebook()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name=CODES_SHEET, index=False)
        codebook.to_excel(writer, sheet_name=CODEBOOK_SHEET, index=False)
        codes, book = writer.sheets[CODES_SHEET], writer.sheets[CODEBOOK_SHEET]
        book.sheet_state = "hidden"
        text_cells(codes)  # a title starting with "=" stays text
        text_cells(book)
        codes.freeze_panes = "B2"  # header and unit id stay in view
        last_row = len(sheet) + 1
        for j, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(j)
            codes.column_dimensions[letter].width = _WIDTHS.get(column, max(14, len(column) + 2))
            header = codes[f"{letter}1"]
            header.font = Font(bold=True)
            header.fill = PatternFill("solid", fgColor="DDDDDD" if column not in coding_sheet.variables else "FFF2CC")
            for row in range(2, last_row + 1):
                codes[f"{letter}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
            values = coding_sheet.variables.get(column)
            if values and len(sheet):
                codes.add_data_validation(_code_list(column, values, codebook, f"{letter}2:{letter}{last_row}"))
    return path


def _code_list(column: str, values: list, codebook: pd.DataFrame, cells: str):
    """A drop-down of ``values``: inline when Excel allows it, else a range of the codebook."""
    from openpyxl.worksheet.datavalidation import DataValidation

    inline = ",".join(values)
    if any("," in v or '"' in v for v in values) or len(inline) > 250:
        rows = codebook.index[codebook["variable"] == column] + 2  # +1 header, +1 one-based
        formula = f"{CODEBOOK_SHEET}!$B${rows.min()}:$B${rows.max()}"
    else:
        formula = f'"{inline}"'
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                errorTitle="Code not allowed", error=f"Allowed codes for {column}: {', '.join(values)}")
    validation.add(cells)
    return validation
