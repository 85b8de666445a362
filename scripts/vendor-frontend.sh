#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm packages pinned in package.json / package-lock.json.
# Run after changing a version there; commit the result. Nothing is built at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
static=src/saferhomes/static
rm -rf "$static/govuk" "$static/htmx"
mkdir -p "$static/govuk" "$static/htmx" tests/browser/vendor
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css "$static/govuk/"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$static/govuk/"
cp -r node_modules/govuk-frontend/dist/govuk/assets "$static/govuk/assets"
cp node_modules/govuk-frontend/package.json "$static/govuk/VERSION.json"
cp node_modules/htmx.org/dist/htmx.min.js "$static/htmx/"
cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js
echo "Vendored govuk-frontend $(node -p "require('./node_modules/govuk-frontend/package.json').version"), htmx $(node -p "require('./node_modules/htmx.org/package.json').version"), axe-core $(node -p "require('./node_modules/axe-core/package.json').version")"
