"""The model's units: minutes on one axis across the programme, and shares as integers."""

from __future__ import annotations

DAY = 24 * 60
"""Minutes in a day: minute ``day * DAY + m`` is minute ``m`` after midnight of ``day``."""

SHARE_SCALE = 1_000_000
"""A share (of field teaching, say) ``s`` is written as the integer ``s * SHARE_SCALE``, so that
the share rules stay linear in integers."""
