"""Fault injection for the crash tests, and nothing else.

With ``CHILDFIRST_FAULT`` set to the name of a point, a process that reaches that point kills
itself with SIGKILL, exactly as ``kill -9`` would: no exception, no clean-up, no commit. Unset (as
it always is in service), every point does nothing. The points:

``import:writing``
    the import has written some of its records, in its still open transaction;
``import:written``
    the import's transaction has committed, and the rules have not yet run;
``evaluation:storing``
    the rules have stored some findings, in their still open transaction.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "CHILDFIRST_FAULT"


def crash_point(name: str) -> None:
    """Die here, at once, if ``CHILDFIRST_FAULT`` names this point."""
    if os.environ.get(VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
