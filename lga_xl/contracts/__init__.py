"""One pure module per workbook kind, declaring its contract (see :mod:`lga_xl.contract`).

Writers lay workbooks out from these declarations and readers read by them;
neither imports the other.
"""
