"""Uploads are bounded before they are parsed (eage/tables.py, MAX_UPLOAD_MB): a zip bomb
dressed as a workbook, a truncated or non-zip workbook, too many rows, a huge cell, a body
over the upload cap — each refused with « fichier illisible : … » (or a 413), never a 500,
and the import changes nothing."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from accounting.problems import ProblemsError
from eage import tables
from eage.extensions import db
from eage.models import ApiToken, TimesheetEntry, User
from eage.tables import Columns, read_table
from tests.conftest import ROLE_EMAILS

COLUMNS = Columns(
    required=("date", "hours"),
    optional=(),
    aliases={"date": "date", "hours": "hours"},
    optional_note="aucune facultative",
)
MB = 1024 * 1024


def _workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bomb(inflated_mb: int = 120) -> bytes:
    """A workbook-shaped zip of a few hundred KB whose sheet inflates to ``inflated_mb``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * MB
            for _ in range(inflated_mb):
                sheet.write(chunk)
    return out.getvalue()


def _refused(data: bytes, name: str = "t.xlsx") -> str:
    with pytest.raises(ProblemsError) as caught:
        read_table(io.BytesIO(data), COLUMNS, name)
    message = str(caught.value)
    assert message.startswith("fichier illisible : "), message
    return message


@pytest.fixture()
def forbid_inflating(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Once called, fail the test if anything opens an archive member or hands the file to
    pandas (the test builds its archive first)."""

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the reader inflated a refused archive")

    def arm() -> None:
        monkeypatch.setattr(zipfile.ZipFile, "open", forbidden)
        monkeypatch.setattr(tables.pd, "read_excel", forbidden)

    return arm


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb()


def test_zip_bomb_is_refused_from_the_directory_alone(bomb: bytes, forbid_inflating) -> None:  # type: ignore[no-untyped-def]
    assert len(bomb) < MB  # small on the wire …
    forbid_inflating()
    message = _refused(bomb)  # … and refused without inflating a byte
    assert "décompresserait" in message and "xl/worksheets/sheet1.xml" in message


def test_many_members_under_the_ratio_still_count_in_the_total(forbid_inflating) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    noise = os.urandom(16 * 1024) * 64  # 1 MB that deflates ≈ 60 times: under the ratio
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(21):
            archive.writestr(f"xl/media/{i}.bin", noise)
    forbid_inflating()
    assert "trop gros une fois décompressé" in _refused(out.getvalue())


def test_a_lying_directory_cannot_inflate_past_what_it_declares() -> None:
    """The directory says 1 000 bytes; the data inflates to 30 MB: zipfile stops at the
    declared size and the CRC fails — refused, not inflated."""
    bomb = bytearray(_bomb(inflated_mb=30))
    name = b"xl/worksheets/sheet1.xml"
    _shrink_declared_sizes(bomb, name, 1000)
    assert "fichier illisible" in _refused(bytes(bomb))


def _shrink_declared_sizes(data: bytearray, name: bytes, size: int) -> None:
    """Rewrite the member's uncompressed size in its local header and directory entry
    (zip64 extra fields: the 8-byte size after the 0x0001 tag)."""
    start = 0
    while (at := data.find(name, start)) != -1:
        extra = data.find(b"\x01\x00", at + len(name))
        struct.pack_into("<Q", data, extra + 4, size)
        start = at + len(name)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04" + b"\0" * 40, "tronqué ou endommagé"),
        (b"<html>not a workbook</html>", "ce n'est pas un classeur XLSX"),
    ],
    ids=["zip-garbage", "not-a-zip"],
)
def test_hostile_workbooks(data: bytes, reason: str) -> None:
    assert reason in _refused(data)


def test_truncated_workbook() -> None:
    whole = _workbook([["date", "hours"], ["2026-11-02", 7]])
    _refused(whole[: len(whole) // 2])


def test_row_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 10)
    ok = "date,hours\n" + "2026-11-02,7\n" * 10
    assert len(read_table(io.BytesIO(ok.encode()), COLUMNS, "t.csv").rows) == 10
    assert "plus de 10 lignes" in _refused((ok + "2026-11-02,7\n").encode(), "t.csv")
    workbook = _workbook([["date", "hours"]] + [["2026-11-02", 7]] * 11)
    assert "plus de 10 lignes" in _refused(workbook)


def test_cell_length_cap() -> None:
    long = "x" * (tables.MAX_CELL_CHARS + 1)
    message = _refused(f"date,hours\n2026-11-02,7\n2026-11-03,{long}\n".encode(), "t.csv")
    assert "ligne 3, colonne 2" in message
    assert "ligne 2, colonne 1" in _refused(_workbook([["date", "hours"], [long, 7]]))
    fits = "x" * tables.MAX_CELL_CHARS
    assert read_table(io.BytesIO(f"date,hours\n{fits},7\n".encode()), COLUMNS, "t.csv").rows


def test_file_cap_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100)
    path = tmp_path / "t.csv"
    path.write_bytes(b"date,hours\n" + b"2026-11-02,7\n" * 20)
    with pytest.raises(ProblemsError, match="fichier illisible : plus de"):
        read_table(path, COLUMNS)


# --- through the pages, the API and the CLI ------------------------------------------------


def _entries() -> int:
    return db.session.scalar(select(func.count()).select_from(TimesheetEntry)) or 0


def _upload(client, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/temps/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_upload_of_a_bomb_is_a_clear_422(login_as, bomb) -> None:  # type: ignore[no-untyped-def]
    client = login_as("accountant")
    response = _upload(client, bomb, "temps.xlsx")
    assert response.status_code == 422
    assert "fichier illisible" in response.get_data(as_text=True)
    assert _entries() == 0


def test_expenses_import_refuses_a_truncated_workbook(login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("accountant")
    whole = _workbook([["date", "libellé", "montant"], ["2026-11-02", "x", 7]])
    response = client.post(
        "/depenses/import",
        data={"file": (io.BytesIO(whole[:300]), "depenses.xlsx")},
        content_type="multipart/form-data",
    )
    assert 400 <= response.status_code < 500
    assert "fichier illisible" in response.get_data(as_text=True)


def test_body_over_the_upload_cap_is_413_in_french(app, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("accountant")
    too_big = b"date,hours\n" + b"x" * (app.config["MAX_UPLOAD_MB"] * MB)
    # Encoded here: the test client would spool a body this size to a file it never closes.
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="temps.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + too_big + b"\r\n--B--\r\n"
    )
    response = client.post(
        "/temps/import", data=body, content_type="multipart/form-data; boundary=B"
    )
    assert response.status_code == 413
    assert "Fichier trop volumineux : 5 Mo au plus." in response.get_data(as_text=True)
    assert _entries() == 0


def test_api_body_over_the_cap_is_413_json(app, client, demo) -> None:  # type: ignore[no-untyped-def]
    user = db.session.query(User).filter_by(email=ROLE_EMAILS["accountant"]).one()
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    response = client.post(
        "/api/v1/timesheets",
        headers={"Authorization": f"Bearer {token}"},
        data=b"[" + b" " * (app.config["MAX_UPLOAD_MB"] * MB) + b"]",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_json()["error"]


def test_cli_import_of_a_bomb_is_a_precise_error(runner, demo, bomb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "temps.xlsx"
    path.write_bytes(bomb)
    result = runner.invoke(args=["import-timesheets", str(path)])
    assert result.exit_code != 0
    assert "fichier illisible : classeur XLSX suspect" in result.output
    assert _entries() == 0
