"""Numbers stay unique and continuous when several processes close months at once, on
SQLite and on PostgreSQL (art. 242 nonies A ann. II CGI, 7°: "une séquence chronologique
et continue")."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from sqlalchemy import select

from accounting.invoicing import check_number_sequence
from eage.extensions import db
from eage.models import Invoice

MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09"]


def test_concurrent_closes_leave_no_gap_and_no_duplicate(app, add_time) -> None:
    for key in MONTHS:
        y, m = int(key[:4]), int(key[5:])
        add_time("LEFIL", "GESTION", "CMARTIN", date(y, m, 2), 120)
        add_time("FABRIQUE", "PAIE", "KBENALI", date(y, m, 3), 90)
        add_time("GAGA", "RESEAU", "JFOURNIER", date(y, m, 4), 45)
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "EAGE_INSTANCE_PATH": app.instance_path,
    }
    code = "from eage.cli import main; main()"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, "close-month", key],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key in MONTHS
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    db.session.expire_all()
    issued = db.session.scalars(select(Invoice).order_by(Invoice.seq)).all()
    numbers = [i.number for i in issued]
    assert len(numbers) == 12 and len(set(numbers)) == 12
    assert check_number_sequence(numbers) == []
    assert numbers == [f"F-2026-{n:04d}" for n in range(1, 13)]
    # chronological: a later number was never recorded before an earlier one
    stamps = [i.created_at for i in issued]
    assert stamps == sorted(stamps)
    # each process numbered one month's invoices as one block
    months = [i.month for i in issued]
    blocks = [months[k : k + 3] for k in range(0, 12, 3)]
    assert all(len(set(b)) == 1 for b in blocks) and sorted(b[0] for b in blocks) == MONTHS
