"""The suite turns warnings into errors (pyproject), except a library's notice about an
optional system component: a machine without libharfbuzz-subset must still pass."""

from __future__ import annotations

import warnings

import pytest


def test_weasyprint_optional_harfbuzz_notice_is_not_an_error() -> None:
    warnings.warn_explicit(
        "HarfBuzz-Subset will be required by future versions of WeasyPrint. "
        "Please install this library with your package manager.",
        DeprecationWarning,
        "ffi.py",
        529,
        module="weasyprint.text.ffi",
    )


def test_other_deprecations_still_fail_the_suite() -> None:
    with pytest.raises(DeprecationWarning):
        warnings.warn("something else is deprecated", DeprecationWarning, stacklevel=1)
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit(
            "another WeasyPrint deprecation",
            DeprecationWarning,
            "ffi.py",
            1,
            module="weasyprint.text.ffi",
        )
