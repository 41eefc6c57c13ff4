"""Typst → PDF/A-3b (issue 17): the document's data, already formatted in French by
:mod:`accounting.formats`, goes to a .typ template as JSON through ``sys.inputs`` — no string
templating of Typst markup, so no escaping to get wrong. The accounting templates live in
``documents/typst/``, the payslip's in ``payroll/documents/typst/`` (package data). This module is
the typesetting door both domains share (like :mod:`accounting.formats`); it knows no
document. Fonts are the system's DejaVu (fonts-dejavu-core), never fetched.

Measured on one core, mean of 10 (bench/bench_render.py): the two-page invoice lays out in
about 30 ms with Typst against about 650 ms with WeasyPrint.
"""

from __future__ import annotations

import io
import json
import os
import threading
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import typst
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

TEMPLATES = Path(__file__).parent / "documents" / "typst"  # the accounting documents' templates
# Debian's fonts-dejavu-core (scripts/system-deps.sh); other folders may be added with
# EAGE_FONT_PATHS (colon-separated) on a machine that keeps its fonts elsewhere.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)


ENGINES = ("typst", "weasyprint")


def pdf_engine(engine: str | None = None) -> str:
    """The engine asked for, else the setting PDF_ENGINE (EAGE_PDF_ENGINE), else Typst."""
    chosen = engine or os.environ.get("EAGE_PDF_ENGINE") or "typst"
    if chosen not in ENGINES:
        raise ValueError(f"unknown PDF engine {chosen!r}: expected one of {', '.join(ENGINES)}")
    return chosen


class TypstDocumentError(RuntimeError):
    """A Typst template could not be laid out."""


def _font_paths() -> list[str]:
    extra = [p for p in os.environ.get("EAGE_FONT_PATHS", "").split(":") if p]
    return [p for p in (*FONT_DIRS, *extra) if Path(p).is_dir()]


@lru_cache(maxsize=1)
def _fonts() -> typst.Fonts:
    """Only the document fonts' folder when it is there (scanning every system font costs
    more than a render); the system's fonts otherwise, where fontconfig may find DejaVu."""
    paths = _font_paths()
    return typst.Fonts(include_system_fonts=not paths, font_paths=paths)


_local = threading.local()


def _compiler(path: Path) -> typst.Compiler:
    """One compiler per template, process and thread: it keeps its parsed sources and fonts.
    A compiler is not shared between threads: compiling on one that another thread is
    using raises "Already borrowed" (the close runs in a job thread while a request renders
    an annual statement). The template's folder is the root: it imports only neighbours."""
    compilers: dict[Path, typst.Compiler] | None = getattr(_local, "compilers", None)
    if compilers is None:
        compilers = _local.compilers = {}
    compiler = compilers.get(path)
    if compiler is None:
        compiler = typst.Compiler(str(path), root=str(path.parent), font_paths=_fonts())
        compilers[path] = compiler
    return compiler


def typst_pdf(
    template: str | Path, data: dict[str, Any], *, created: date, pdf_a3: bool = True
) -> bytes:
    """Lay ``data`` out with ``template`` (a name in ``typst/`` beside this file, e.g.
    "invoice.typ", or the path of another package's template); PDF/A-3b by default. The
    PDF's dates are the document's own (``created``), so two renders are the same bytes."""
    path = template if isinstance(template, Path) else TEMPLATES / template
    stamp = datetime(created.year, created.month, created.day, tzinfo=UTC)
    try:
        pdf = _compiler(path).compile(
            format="pdf",
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
            pdf_standards="a-3b" if pdf_a3 else [],
            timestamp=stamp,
        )
    except typst.TypstError as exc:
        raise TypstDocumentError(f"{path.name}: {exc.message} {exc.trace}") from exc
    assert isinstance(pdf, bytes)
    return pdf


def without_tags(pdf: bytes) -> bytes:
    """The same pages without Typst's structure tree (tagged PDF), for a PDF that goes
    through factur-x next: its pypdf clone walks every object it can reach, and the ~450
    structure elements of a two-page invoice make the embedding cost ~280 ms of CPU instead
    of ~17 ms. Kept: the pages and their resources (fonts embedded), the PDF/A output
    intent, the XMP metadata (factur-x rewrites it) and the language. The result is an
    untagged PDF/A-3b, as WeasyPrint's always was; tagging is not required for PDF/A-3b."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        if "/StructParents" in added:
            del added[NameObject("/StructParents")]
    root = reader.root_object
    for key in ("/OutputIntents", "/Metadata", "/Lang"):
        if key in root:
            writer._root_object[NameObject(key)] = root[key].clone(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
