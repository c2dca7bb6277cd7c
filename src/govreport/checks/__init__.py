"""Checks: the rule catalogue, the template's arithmetic, pinpointing the wrong cell, prose and series checks.

Until 0.3, the names of the 0.1 module ``govreport.checks`` (now :mod:`govreport.checks.arithmetic`,
and the equations in :mod:`govreport.template`) are still found here, with a ``DeprecationWarning``.
"""

import sys

from .._compat import forward

forward(sys.modules[__name__], ("govreport.checks.arithmetic", "govreport.template"), __name__)
