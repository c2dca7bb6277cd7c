"""Assemble: the one shared step that maps every parser's rows onto the template's tables.

Until 0.3, ``TableResult`` (now in :mod:`govreport.parsers.rows`) is still found here, with a
``DeprecationWarning``.
"""

import sys

from .._compat import forward
from .table import assemble_table

__all__ = ["assemble_table"]

forward(sys.modules[__name__], ("govreport.parsers.rows",), __name__)
