"""Input for forms: decimals typed the reader's way (`1 234,56` in French, `1,234.56` in
English), dates as `28/11/2026`; and the
bridge between the services' validations (lists of problems) and the forms' fields.

The messages of these fields and validators are in the reader's language: translated at
validation time (the form classes are built at import), as Flask-WTF does WTForms' own.

French input is parsed here, in the forms, never in the domain (ARCHITECTURE §3)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import LazyString
from flask_wtf import FlaskForm
from markupsafe import escape
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from accounting.problems import Problem
from eage.filters import _locale, number, plain_decimal, translated
from eage.filters import tr as _

# Spaces a French user (or a copy-paste from a spreadsheet) may put between thousands.
_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'")


LARGEST_INPUT = Decimal("1e10")  # the columns are Numeric(12, 2): up to 9 999 999 999,99


# English thousands: groups of three digits after a comma, `1,234` / `12,345,678.5`.
_ENGLISH_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_fr_decimal(text: str) -> Decimal:
    """'1 234,56' / '1234.56' / '1 234,5 €' → Decimal('1234.56'); ValueError otherwise."""
    return parse_decimal(text, "fr")


def parse_decimal(text: str, locale: str = "fr") -> Decimal:
    """A decimal typed the reader's way; ValueError otherwise, never a guess.

    French: a comma is the decimal mark, spaces group thousands ('1 234,56'); a dot is read
    as a decimal mark too ('1234.56'), so '1,234' is 1.234. English (`locale` 'en…'): a dot
    is the decimal mark and commas group thousands by three ('1,234.56', '1234.56'), so
    '1,234' is 1234, and a comma anywhere else ('12,5') is refused as ambiguous."""
    cleaned = text.strip().replace("€", "").replace("%", "").strip()
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    if locale.startswith("en"):
        if "," in cleaned and not _ENGLISH_GROUPED.fullmatch(cleaned):
            raise ValueError(text)
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not cleaned or cleaned.count(".") > 1 or "," in cleaned:
        raise ValueError(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite() or "e" in cleaned.lower() or abs(value) >= LARGEST_INPUT:
        raise ValueError(text)  # no exponent (1e9999), nothing a Numeric(12, 2) cannot hold
    return value


def parse_typed_decimal(text: str) -> Decimal:
    """A decimal typed in a page, read in the reader's language (French outside a request)."""
    return parse_decimal(text, _locale())


class _TranslatedLabel(LazyString):
    """An option's label in the reader's language when rendered, escaped like any text:
    Flask-Babel's LazyString would be inserted as HTML, and labels may be data (a member's
    name)."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def choices(options: dict[Any, str] | Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Select options from a {value: label} mapping or (value, label) pairs; a label that is
    a French text marked N_() shows in the reader's language when the form is rendered."""
    items = options.items() if isinstance(options, dict) else options
    return [
        SelectChoice(
            value, _TranslatedLabel(translated, label) if isinstance(label, str) else label
        )
        for value, label in items
    ]


class FrDecimalField(StringField):
    """A decimal typed the reader's way (French `1 234,56`, English `1,234.56`). `places` is
    the number of decimals allowed (and shown)."""

    def __init__(
        self, label: str | None = None, validators: Any = None, places: int = 2, **kwargs: Any
    ) -> None:
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.places = places

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None or self.data == "":
            return ""
        return plain_decimal(self.data, self.places)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = parse_typed_decimal(str(valuelist[0]))
        except ValueError:
            self.data = None
            raise ValueError(_("Nombre attendu, par exemple 1 234,56.")) from None
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            self.data = None
            raise ValueError(_("Au plus %(places)s décimales.", places=self.places))
        # Same scale as the Numeric column, so that an unchanged value compares equal.
        # Exact: the value has at most `places` decimals (checked above), so no mode applies.
        self.data = value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)


class FrDateField(DateField):
    """A date as the browser's date picker sends it (ISO) or typed as 28/11/2026."""

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)
        self.widget.input_type = "date"

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Date attendue, par exemple 28/11/2026.")) from None


class Range:
    """NumberRange with a message in the reader's language and open/closed bounds."""

    def __init__(
        self,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        *,
        min_inclusive: bool = True,
        message: str | None = None,
    ) -> None:
        self.minimum, self.maximum, self.min_inclusive = minimum, maximum, min_inclusive
        self.message = message

    def __call__(self, form: FlaskForm, field: Any) -> None:
        value = field.data
        if value is None:
            return
        too_low = self.minimum is not None and (
            value < self.minimum or (not self.min_inclusive and value == self.minimum)
        )
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            raise ValidationError(self.message or self._default())

    def _default(self) -> str:
        lo = number(self.minimum) if self.minimum is not None else None
        hi = number(self.maximum) if self.maximum is not None else None
        if lo is not None and hi is not None:
            sign = "≥" if self.min_inclusive else ">"
            return _(
                "La valeur doit être %(sign)s %(low)s et ≤ %(high)s.", sign=sign, low=lo, high=hi
            )
        if lo is not None and self.min_inclusive:
            return _("La valeur doit être supérieure ou égale à %(low)s.", low=lo)
        if lo is not None:
            return _("La valeur doit être supérieure à %(low)s.", low=lo)
        return _("La valeur doit être inférieure ou égale à %(high)s.", high=hi)


def attach_problems(form: FlaskForm, problems: Iterable[Problem]) -> None:
    """Put each problem of a service next to its field (``Problem.field`` names the form
    field); those of no field, or of a field the form lacks, go to `form.form_errors`."""
    for p in problems:
        f = getattr(form, p.field, None) if p.field else None
        if f is None:
            if p.message not in form.form_errors:
                form.form_errors.append(p.message)
            continue
        errors = list(f.errors) if isinstance(f.errors, list | tuple) else []
        if p.message not in errors:
            errors.append(p.message)
        f.errors = errors


def form_data(form: FlaskForm, *names: str) -> dict[str, Any]:
    """The fields' parsed data (strings stripped, empty strings as None)."""
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(form, name).data
        if isinstance(value, str):
            value = value.strip() or None
        out[name] = value
    return out
