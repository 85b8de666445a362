# Saferhomes task runner. `make demo` and `make test` work on a fresh machine: they install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export DJANGO_SETTINGS_MODULE := saferhomes.config.settings
export PATH := $(HOME)/.local/bin:$(PATH)
UV := uv

.PHONY: help install demo test test-sqlite test-postgres test-browser check format bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: ## Install uv if missing, then the locked Python environment
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	$(UV) sync --frozen

demo: install ## Migrate, load the synthetic demo landlord if empty, print logins, serve on http://127.0.0.1:8000
	$(UV) run saferhomes demo

test: install test-sqlite test-postgres test-browser ## The whole suite: SQLite, PostgreSQL, browser

test-sqlite: install ## Unit and integration tests on SQLite
	$(UV) run pytest -m "not browser" -p no:cacheprovider

test-postgres: install ## The same tests on a throwaway PostgreSQL database
	$(UV) run python scripts/with_postgres.py pytest -m "not browser" -p no:cacheprovider

test-browser: install ## Playwright + Debian chromium + axe-core
	$(UV) run python scripts/ensure_chromium.py
	$(UV) run pytest -m browser -p no:cacheprovider

check: install ## ruff, ruff format --check, mypy, import-linter, djlint
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy src tests bench
	$(UV) run lint-imports
	$(UV) run djlint src/saferhomes/templates --lint

format: install ## Apply ruff fixes and formatting
	$(UV) run ruff check --fix .
	$(UV) run ruff format .
