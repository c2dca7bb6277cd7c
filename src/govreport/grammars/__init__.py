"""Lark grammars, one per text layout, plus ``common.lark`` with the shared terminals.

Each grammar reads a table region line by line: its terminals are whole-row shapes (a tab row, a
pipe row, a box rule …), so the LALR parser does one step per source row. Splitting a row into
cells is shared code (:mod:`govreport.parsers.rows`).
"""
