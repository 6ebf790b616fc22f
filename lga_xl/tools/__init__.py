"""Tools for people working on lga_xl's workbooks (not needed to fill one in)."""
