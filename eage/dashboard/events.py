"""The dashboard listens to the month close: once a month is closed, the managers' dashboard
of its year is computed, so the closed months' figures are already kept when a manager opens
it (seconds at 1,000 members otherwise, see eage/dashboard/cache.py)."""

from __future__ import annotations

import logging

from flask import Flask

from eage import events
from eage.dashboard import services

logger = logging.getLogger(__name__)


def warm_after_close(_app: Flask, *, year: int, **_details: object) -> None:
    """Compute the year's dashboard. A failure here never touches the close: it is only
    logged, and the page computes the figures later."""
    try:
        services.dashboard(year)
    except Exception:  # pragma: no cover - reported in the log, the page computes it later
        logger.exception("dashboard warm-up after the close of %s failed", year)


def register(app: Flask) -> None:
    """Listen to `app`'s closes (called by create_app; connecting twice is harmless)."""
    events.month_closed.connect(warm_after_close, sender=app)
