"""English mode is complete (issue 14): every string a user reads is marked for translation
and has its English.

(a) Babel's own extractor, run in-process over babel.cfg's mapping, finds every marked msgid:
    each must have an English msgstr in the .po.
(b) Scans find what is NOT marked: a literal given to `flash(` or `abort(`, a WTForms label
    or validator message not wrapped in `_l()`, a French-looking text node or attribute of a
    template outside `{{ _() }}` / `{% trans %}`, a French string in `eage/static/**.js` (the
    scripts take their strings from the page).
Each offender is printed as `file:line: text` so a fixer can act.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "eage" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "N_": None,
    "tr": None,  # eage.filters.tr: gettext in a request, the French msgid elsewhere
}
LETTERS = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
FRENCH_HINT = re.compile(
    r"[À-ÿ]|\b(le|la|les|des|du|de|un|une|et|ou|pour|avec|sans|au|aux)\b", re.I
)

# Text the same in both languages: names, acronyms, units.
ALLOWED_TEXT = {
    "eage",
    "L'équipe associée",
    "SIREN",
    "SIRET",
    "FEC",
    "Factur-X",
    "CSV",
    "XLSX",
    "PDF",
    "TVA",
    "URSSAF",
    "IBAN",
    "BIC",
    "OD",
    "TOTP",
    "API",
    "ID",
    "Email",
    "e-mail",
    "h",
    "min",
    "OK",
    # document formats and their standards, and a Babel date pattern
    "Word",
    ".docx",
    ".xlsx",
    "Excel",
    "UTC",
    "Word (.docx)",
    "PDF (Factur-X)",
    "XML CII (EN 16931)",
    "EEE dd/MM",
    "Français",  # the language switch names each language in itself
    "English",
}


def _reads_as_text(text: str) -> bool:
    """Words to translate: not only punctuation, numbers or names of ALLOWED_TEXT."""
    parts = (part.strip() for part in re.split(r"[·—|/()]", text))
    return any(LETTERS.search(part) and part not in ALLOWED_TEXT for part in parts)


def _report(offenders: list[str], what: str) -> str:
    return f"{len(offenders)} {what}:\n" + "\n".join(offenders)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# (a) every marked msgid has its English ------------------------------------------------------


def _method_map() -> list[tuple[str, str]]:
    methods = []
    for line in (ROOT / "babel.cfg").read_text().splitlines():
        match = re.fullmatch(r"\[(\w+):\s*(.+)\]", line.strip())
        if match:
            methods.append((match.group(2), match.group(1)))
    return methods


def _extracted() -> Iterator[tuple[str, int, str]]:
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=_method_map(), keywords=KEYWORDS, strip_comment_tags=True
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                yield filename, lineno, msgid


def test_every_marked_string_has_its_english() -> None:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="en")
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id and m.string
    }
    plurals = {m.id[1] for m in catalog if isinstance(m.id, tuple) and m.string}
    found = list(_extracted())
    assert len(found) > 500  # the extractor did run over the code and the templates
    missing = [
        f"{filename}:{lineno}: {msgid!r}"
        for filename, lineno, msgid in found
        if msgid not in translated and msgid not in plurals
    ]
    assert not missing, _report(missing, "marked strings without English in messages.po")


# (b) what is not marked ------------------------------------------------------------------------


def _python_files() -> Iterator[Path]:
    for package in ("eage", "accounting", "payroll"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal_text(node: ast.AST | None) -> str | None:
    """A text written in the code: a str constant, an f-string, or `"…" % x` / `"…".format()`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant)) or "f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.Call) and _callee(node) == "format":
        func = node.func
        return _literal_text(func.value) if isinstance(func, ast.Attribute) else None
    return None


VALIDATORS = {
    "DataRequired",
    "InputRequired",
    "Optional",
    "Length",
    "NumberRange",
    "Email",
    "EqualTo",
    "Regexp",
    "AnyOf",
    "NoneOf",
    "URL",
    "Range",
    "FileRequired",
    "FileAllowed",
    "FileSize",
}


def _module_texts(tree: ast.Module) -> dict[str, str]:
    """Module constants holding a text: REQUIRED = "Ce champ est obligatoire." """
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _unmarked_in_python(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    constants = _module_texts(tree)
    calls = (node for node in ast.walk(tree) if isinstance(node, ast.Call))
    for node in sorted(calls, key=lambda call: call.lineno):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        candidates: list[ast.AST | None] = []
        if name == "flash":
            candidates.append(node.args[0] if node.args else None)
        elif name == "abort":  # abort(400, "…"): the reason shows on the error page
            candidates += node.args[1:2] + [
                k.value for k in node.keywords if k.arg == "description"
            ]
        elif name.endswith("Field") and name[:1].isupper():
            candidates.append(node.args[0] if node.args else None)
            candidates += [k.value for k in node.keywords if k.arg in ("label", "description")]
        elif name in VALIDATORS or name == "ValidationError":
            candidates += [k.value for k in node.keywords if k.arg == "message"]
            # The message may be positional (ValidationError("…"), InputRequired("…"),
            # Length(1, 3, "…")); Regexp's first argument is its pattern.
            candidates += node.args[1:] if name == "Regexp" else node.args
        for candidate in candidates:
            if isinstance(candidate, ast.Name) and candidate.id in constants:
                candidate = ast.Constant(constants[candidate.id])
            text = _literal_text(candidate)
            if text is not None and LETTERS.search(text) and text.strip() not in ALLOWED_TEXT:
                yield node.lineno, text


def test_no_unmarked_flash_label_or_validation_message() -> None:
    offenders = [
        f"{_relative(path)}:{lineno}: {text!r}"
        for path in _python_files()
        for lineno, text in _unmarked_in_python(path)
    ]
    assert not offenders, _report(offenders, "flash/label/validator texts not wrapped in _()/_l()")


# Service messages: what a service refuses with is shown on a page as it is, so it is marked
# too (tr(), N_() + tr()): the message of a Problem, of ProblemsError.single, of any *Error
# raised with a text (one, or a list of them), and the texts appended to a list of errors or
# problems. Only French-looking texts count: the few English ones are for developers and
# operators (configuration, backups), never shown on a page.
ERROR_LISTS = re.compile(r"(^|_)(errors|problems|refusals)$")
ENGLISH_HINT = re.compile(
    r"\b(the|is|are|not|of|must|cannot|an|got|be|no|nothing|one|failed|already|too)\b", re.I
)


def _reads_as_french(text: str) -> bool:
    if not LETTERS.search(text):
        return False
    return bool(FRENCH_HINT.search(text) or not ENGLISH_HINT.search(text))


def _message_candidates(node: ast.Call) -> list[ast.AST]:
    name = _callee(node)
    if name == "Problem":
        return node.args[1:2] + [k.value for k in node.keywords if k.arg == "message"]
    if name == "single" or (name.endswith("Error") and name[:1].isupper()):
        return node.args[:1]
    func = node.func
    if name == "append" and isinstance(func, ast.Attribute):
        target = func.value
        if isinstance(target, ast.Name) and ERROR_LISTS.search(target.id):
            return node.args[:1]
    return []


def _texts_of(node: ast.AST) -> Iterator[str]:
    """The literal texts a message argument holds: itself, the items of a list, the element
    of a list comprehension, both branches of a conditional."""
    if isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            yield from _texts_of(item)
    elif isinstance(node, ast.ListComp):
        yield from _texts_of(node.elt)
    elif isinstance(node, ast.IfExp):
        yield from _texts_of(node.body)
        yield from _texts_of(node.orelse)
    else:
        text = _literal_text(node)
        if text is not None:
            yield text


def _unmarked_messages(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    constants = _module_texts(tree)
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    for node in sorted(calls, key=lambda call: call.lineno):
        for candidate in _message_candidates(node):
            if isinstance(candidate, ast.Name) and candidate.id in constants:
                candidate = ast.Constant(constants[candidate.id])
            for text in _texts_of(candidate):
                if text.strip() not in ALLOWED_TEXT and _reads_as_french(text):
                    yield node.lineno, text


def test_no_unmarked_service_message() -> None:
    offenders = [
        f"{_relative(path)}:{lineno}: {text!r}"
        for path in _python_files()
        if path.is_relative_to(ROOT / "eage")
        for lineno, text in _unmarked_messages(path)
    ]
    assert not offenders, _report(offenders, "Problem/error messages not wrapped in tr()/_()")


def test_the_message_scan_sees_unmarked_problems_and_errors(tmp_path) -> None:
    path = tmp_path / "s.py"
    path.write_text(
        "Problem('code', 'Code invalide.')\n"
        "Problem('code', tr('Code invalide.'))\n"
        'raise InvoicingError(f"{n} n\'a pas de PDF")\n'
        "raise InvoicingError([f'règlement du {d} refusé : {p}' for p in refused])\n"
        "errors.append('indiquez le motif de l\\'avoir')\n"
        "errors.append(tr('indiquez le motif de l\\'avoir'))\n"
        "raise ProblemsError.single(\"L'identité du groupement n'est pas renseignée.\")\n"
        "raise BackupError('archive damaged, nothing restored')\n"
        "labels.append('Congés payés')\n"
    )
    assert [line for line, _text in _unmarked_messages(path)] == [1, 3, 4, 5, 7]


# Templates: the Jinja lexer separates the template's own text (data) from Jinja; the text
# inside {% trans %} blocks is marked; the rest goes through an HTML parser, Jinja replaced
# by a blank, to find the text nodes and the attributes a reader sees.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm", "label"}
MARKED_CALLS = {"_", "gettext", "ngettext", "_l"}


class _TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            read = name in READ_ATTRIBUTES or (name == "value" and ("type", "submit") in attrs)
            if read and value:
                self._add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._add(data)

    def _add(self, text: str) -> None:
        cleaned = " ".join(text.split())
        if _reads_as_text(cleaned):
            self.found.append((self.getpos()[0], cleaned))


def _template_blanked(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The template with its Jinja (and the text of {% trans %} blocks) blanked out, lines
    kept; and the string literals of Jinja expressions that are not arguments of _()."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    out: list[str] = []
    literals: list[tuple[int, str]] = []
    in_trans = False
    last: tuple[str, str] = ("", "")  # the previous Jinja token (kind, value)
    calls: list[bool] = []  # per open parenthesis: is it the call of a marking function?
    for lineno, kind, value in env.lex(source):
        if kind == "data" and not in_trans:
            out.append(value)
            continue
        out.append(" " + "\n" * value.count("\n"))
        if kind == "whitespace":
            continue
        if kind == "name" and value in ("trans", "pluralize") and last[0] == "block_begin":
            in_trans = True
        elif kind == "name" and value == "endtrans":
            in_trans = False
        elif kind == "operator" and value == "(":
            calls.append(last[0] == "name" and last[1] in MARKED_CALLS)
        elif kind == "operator" and value == ")" and calls:
            calls.pop()
        elif kind == "string" and not (calls and calls[-1]):
            literals.append((lineno, ast.literal_eval(value)))
        last = (kind, value)
    return "".join(out), literals


def _french_literal(text: str) -> bool:
    """A string literal of a Jinja expression that reads as French words, not as an endpoint,
    a CSS class, a format or a value."""
    if not LETTERS.search(text) or text in ALLOWED_TEXT:
        return False
    if re.fullmatch(r"[\w.\-/:#%{}()|=<>&?,\[\]]*", text) and not re.search(r"[À-ÿ]", text):
        return False  # one token: an endpoint, a key, a path, a format
    return bool(FRENCH_HINT.search(text)) or text[:1].isupper()


def _unmarked_in_template(path: Path) -> Iterator[tuple[int, str]]:
    blanked, literals = _template_blanked(path.read_text())
    parser = _TextNodes()
    parser.feed(blanked)
    parser.close()
    yield from parser.found
    for lineno, text in literals:
        if _french_literal(text):
            yield lineno, f"(Jinja literal) {text}"


def _templates() -> Iterator[Path]:
    yield from sorted((ROOT / "templates").rglob("*.html"))


def test_no_unmarked_text_in_templates() -> None:
    offenders = [
        f"{_relative(path)}:{lineno}: {text!r}"
        for path in _templates()
        for lineno, text in _unmarked_in_template(path)
    ]
    assert not offenders, _report(offenders, "template texts outside _() / {% trans %}")


JS_STRING = re.compile(r"""(?P<q>['"`])(?P<text>(?:\\.|(?!(?P=q)).)*?)(?P=q)""")


def test_no_french_string_in_scripts() -> None:
    offenders = []
    for path in sorted((ROOT / "eage" / "static").rglob("*.js")):
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
            for match in JS_STRING.finditer(code):
                text = match.group("text")
                if (
                    text != "use strict"
                    and LETTERS.search(text)
                    and (" " in text.strip() or re.search(r"[À-ÿ]", text))
                ):
                    offenders.append(f"{_relative(path)}:{lineno}: {text!r}")
    assert not offenders, _report(offenders, "script strings (take them from the page)")


@pytest.mark.parametrize(
    "source, expected",
    [
        ('<p>Bonjour</p>{{ _("Oui") }}', ["Bonjour"]),
        ("<p>{% trans %}Bonjour{% endtrans %}</p>", []),
        ('<a title="Supprimer">{{ x }}</a>', ["Supprimer"]),
        ("{{ macro('Nouvelle écriture') }}", ["(Jinja literal) Nouvelle écriture"]),
        ("{{ url_for('books.ledger', q='a') }} {{ _('Écriture %(n)s', n=total|money) }}", []),
        ("<p>{{ total|money }} €</p>", []),
    ],
)
def test_the_template_scan_sees_what_a_reader_sees(tmp_path, source, expected) -> None:
    path = tmp_path / "t.html"
    path.write_text(source)
    assert [text for _lineno, text in _unmarked_in_template(path)] == expected


def test_the_python_scan_sees_unmarked_flash_and_labels(tmp_path) -> None:
    path = tmp_path / "m.py"
    path.write_text(
        "flash('Enregistré.')\n"
        "flash(_('Enregistré.'))\n"
        "x = StringField('Nom', validators=[DataRequired(message='Obligatoire')])\n"
        "y = StringField(_l('Nom'), validators=[Length(max=3, message=_l('Trop long'))])\n"
        "flash(f'Facture {n} émise')\n"
        "REQUIRED = 'Obligatoire.'\n"
        "z = StringField(_l('Nom'), validators=[InputRequired(REQUIRED)])\n"
    )
    assert [line for line, _text in _unmarked_in_python(path)] == [1, 3, 3, 5, 7]


def test_translated_option_labels_are_escaped() -> None:
    """choices() translates labels lazily; a label that is data stays text, never HTML."""
    from wtforms import Form, SelectField

    from eage.forms_fr import choices

    class F(Form):
        member = SelectField(choices=choices([("1", "<b>Le Fil</b>"), ("2", "Virement")]))

    html = str(F().member())
    assert "&lt;b&gt;Le Fil&lt;/b&gt;" in html and "<b>" not in html
    assert ">Virement</option>" in html  # outside a request: the French msgid
