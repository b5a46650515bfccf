"""CSV files people open in Excel: the one rule that keeps a cell from reading as a formula."""


def safe_cell(value):
    """Keep a spreadsheet from reading a name as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
