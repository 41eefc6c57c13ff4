"""The closing helpers (add_time, october_time) for the books' tests."""

from tests.eage.closing.conftest import add_time, october_time  # noqa: F401
