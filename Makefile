# eage — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run serve worker backup test test-pg test-browser lint bench clean translations

$(STAMP): pyproject.toml scripts/system-deps.sh
	sh scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## run: create .venv, migrate the SQLite database in instance/, load the demo group if empty, serve
# The first run loads the demo as of today: each month of the year that has ended is closed
# (one line per month; about 40 s on two cores in December, bench/bench_demo.py).
# (plain HTTP on the loopback: EAGE_INSECURE_COOKIES=1 lets the browser keep the session cookie)
run: $(STAMP)
	$(BIN)/eage init-db
	$(BIN)/eage load-demo --if-empty
	EAGE_INSECURE_COOKIES=1 $(BIN)/flask --app eage run --host $(HOST) --port $(PORT)

## serve: production server — gunicorn workers (deploy/gunicorn.conf.py) on DATABASE_URL; docs/deploy.md
serve: $(STAMP)
	$(BIN)/eage init-db
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py wsgi:app

## worker: the job queue's worker (JOB_RUNNER=rq, REDIS_URL) — the month close runs here
worker: $(STAMP)
	$(BIN)/eage worker

## backup: one archive of the database and the stored documents into BACKUP_DIR
BACKUP_DIR ?= backups
backup: $(STAMP)
	$(BIN)/eage backup --output $(BACKUP_DIR)

## test: create .venv and run the suite (SQLite; DATABASE_URL=… for PostgreSQL)
# Both cores: document rendering (WeasyPrint) dominates the suite.
PYTEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

test-pg: $(STAMP)
	DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

## test-browser: Playwright journeys on the system Chromium (apt-get install -y chromium)
# (axe-core for the accessibility check: scripts/axe.sh, from the npm registry, pinned)
test-browser: $(STAMP)
	sh scripts/axe.sh
	$(BIN)/pytest -q -m 'browser and not slow' tests/browser

## lint: the format check, ruff (incl. the domain's banned imports, size limits), mypy on payroll/, accounting/, eage/
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

## translations: extract the French msgids (templates + _l form labels), update the English catalog, compile the .mo the app reads
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k tr --project=eage --copyright-holder="eage contributors" -o eage/translations/messages.pot .
	$(BIN)/pybabel update -i eage/translations/messages.pot -d eage/translations --ignore-obsolete
	$(BIN)/pybabel compile -d eage/translations
