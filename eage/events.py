"""What the application announces, for whoever needs to know (blinker signals, as Flask's own).

Signals are declared here and nothing else happens at import: receivers are connected by
``create_app`` (see e.g. eage/dashboard/events.py), so an area announces without knowing who
listens.

* ``month_closed`` — sent by the close job (eage/closing/job.py) after a close that changed
  something, with the app as sender and ``year=``, ``month=`` (ints) as keywords.
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()

month_closed = signals.signal("month-closed")
