# In English too a date is typed day first, as the pages show it and as the Vietnamese
# pages read it (DESIGN.md section 5): only the input formats differ from Django's ``en``.
from daotao.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

__all__ = ["DATETIME_INPUT_FORMATS", "DATE_INPUT_FORMATS"]
