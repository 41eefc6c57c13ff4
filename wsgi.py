"""The application for a WSGI server: `gunicorn wsgi:app` (from the repository root).

Configured like `make run`: `DATABASE_URL`, `EAGE_INSTANCE_PATH` and `instance/config.py`."""

from eage import create_app

app = create_app()
