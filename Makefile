# Saferhomes task runner. `make demo` and `make test` work on a fresh machine: they install what they need.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help
export DJANGO_SETTINGS_MODULE := saferhomes.config.settings
# Where `pip install uv` puts the uv command: the interpreter's scripts folder (pyenv's version bin, /usr/local/bin,
# a venv) or ~/.local/bin for --user installs. Both go on PATH before anything runs.
PYTHON ?= python3
PY_SCRIPTS := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null)
export PATH := $(HOME)/.local/bin:$(PY_SCRIPTS):$(PATH)
UV ?= uv
# pytest: no cache folder in the tree; browser tests run apart from the rest. PYTEST_ARGS adds options, e.g. -x.
PYTEST := $(UV) run --frozen pytest -p no:cacheprovider
# Two pytest-xdist workers (the machine has 2 cores): 500 tests took 16-19s with -n 2 against 22-24s serially on
# SQLite, and 19-22s against 31-34s on PostgreSQL, stable over repeated runs. Browser tests run serially.
# PYTEST_WORKERS= (empty) runs serially, e.g. to read a failure's output in order.
PYTEST_WORKERS ?= -n 2
PYTEST_ARGS ?=

.PHONY: help install uv demo test test-sqlite test-postgres test-production test-browser screenshots check format vendor-frontend
.PHONY: access-matrix  # issue 21 part 6
.PHONY: fuzz  # issue 21 part 2

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

uv: ## Install uv with pip if it is missing
	@command -v $(UV) >/dev/null 2>&1 || { \
	  echo "uv not found: installing it with pip"; \
	  $(PYTHON) -m pip install --quiet uv \
	    || $(PYTHON) -m pip install --quiet --user uv \
	    || $(PYTHON) -m pip install --quiet --break-system-packages uv; \
	  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true; \
	}
	@command -v $(UV) >/dev/null 2>&1 || { echo "uv was installed but is not on PATH ($$PATH)" >&2; exit 1; }

install: uv ## Install uv if missing, the locked Python environment, and what WeasyPrint needs (Pango, fonts)
	$(UV) sync --frozen
	$(UV) run --frozen python scripts/ensure_pdf_tools.py

demo: install ## Migrate, load the synthetic demo landlord if empty, print logins, serve on http://127.0.0.1:8000
	$(UV) run --frozen saferhomes demo

test: install ## The whole suite: SQLite, then PostgreSQL, then the browser tests
	$(UV) run --frozen python scripts/ensure_pdf_tools.py --poppler
	@start=$$SECONDS; \
	$(MAKE) --no-print-directory test-sqlite; \
	$(MAKE) --no-print-directory test-postgres; \
	$(MAKE) --no-print-directory test-production; \
	$(MAKE) --no-print-directory test-browser; \
	echo "make test: all passed in $$((SECONDS - start))s"

test-sqlite: install ## Unit and integration tests on SQLite
	$(PYTEST) -m "not browser and not production" $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install ## The tests that reach the database, again on a throwaway PostgreSQL database (started if need be)
	SAFERHOMES_DATABASE_TESTS_ONLY=1 $(UV) run --frozen python scripts/with_postgres.py $(PYTEST) -m "not browser and not production" $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-production: install ## gunicorn servers and workers against PostgreSQL (and Redis), as production runs them
	$(UV) run --frozen python scripts/ensure_redis.py
	$(PYTEST) -m "production and not faults" $(PYTEST_ARGS)  # issue 21 part 4: `make faults` runs those

test-browser: install ## Playwright driving Debian's chromium (installed if missing), with axe-core
	$(UV) run --frozen python scripts/ensure_chromium.py
	$(PYTEST) -m browser $(PYTEST_ARGS)

screenshots: install ## Refresh docs/screenshots/*.png from the browser tests and the PDF tests (pdftoppm)
	$(UV) run --frozen python scripts/ensure_chromium.py
	$(UV) run --frozen python scripts/ensure_pdf_tools.py --poppler
	SAFERHOMES_SCREENSHOTS=1 $(PYTEST) -m browser $(PYTEST_ARGS)
	SAFERHOMES_SCREENSHOTS=1 $(PYTEST) -m "not browser" -k pdf_screenshot tests/referrals $(PYTEST_ARGS)
	SAFERHOMES_SCREENSHOTS=1 $(PYTEST) -m "not browser" tests/documents/test_screenshots.py tests/case_review_review/test_screenshots.py $(PYTEST_ARGS)

check: install ## ruff, ruff format --check, mypy, import-linter, djlint, pip-audit and npm audit
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy src tests $(if $(wildcard bench/*.py),bench)
	$(UV) run --frozen lint-imports
	$(UV) run --frozen djlint src/saferhomes/templates --lint
	# issue 21 part 5: known vulnerabilities in uv.lock (pip-audit) and package-lock.json (npm audit --omit=dev);
	# SAFERHOMES_AUDIT_STRICT=1 also fails when the advisory databases cannot be reached (docs/security.md)
	$(UV) run --frozen python scripts/dependency_audit.py

format: install ## Apply ruff fixes and formatting
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

# issue 21 part 6: docs/access-matrix.md from the access-matrix tests' own tables (tests/access/test_document.py checks it)
access-matrix: install ## Regenerate docs/access-matrix.md from the access-matrix tests' tables
	$(UV) run --frozen python scripts/access_matrix.py

# issue 21 part 2 (fuzz): schemathesis over every API operation (its coverage phase on, every check, stateful links)
# and hypothesis over every public form step and the status pages, with a budget that gives >= 10,000 generated
# inputs; the last lines print the count and the 5xx count. `make test` runs the same tests with a small budget.
FUZZ_EXAMPLES ?= 60
fuzz: install ## Fuzz the API (schemathesis) and the public forms (hypothesis): >= 10,000 inputs, prints inputs and 5xx
	SAFERHOMES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) SAFERHOMES_FUZZ_COVERAGE=1 SAFERHOMES_FUZZ_STATEFUL_STEPS=8 \
	  $(PYTEST) tests/fuzz $(PYTEST_WORKERS) $(PYTEST_ARGS)

vendor-frontend: ## Refresh vendored GOV.UK Frontend, htmx and axe-core, and recompile our Sass (needs npm)
	bash scripts/vendor-frontend.sh

# issue 21 part 4: faults — PostgreSQL restarted, crashed and made read-only while reports are sent (on a throwaway
# cluster of its own, never the shared server), and SQLite locked, full and read-only; prints the figures.
.PHONY: faults
faults: install ## Database faults while reports are sent: every acknowledged report kept, only friendly 503s
	$(PYTEST) -m faults -s tests/production $(PYTEST_ARGS)
# issue 21 part 3: bounded load ----------------------------------------------------------------------------------
# locust on loopback against gunicorn + PostgreSQL + a worker; stops by itself; figures in docs/reliability.md.
LOAD_USERS ?= 200
LOAD_TIME ?= 5m
LOAD_ARGS ?=
.PHONY: load
load: install ## Locust, headless: LOAD_USERS (200) for LOAD_TIME (5m) against the production processes; 0 errors
	$(UV) run --frozen python bench/load_run.py --users $(LOAD_USERS) --run-time $(LOAD_TIME) $(LOAD_ARGS)
