#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm packages pinned in package.json / package-lock.json,
# and compile our Sass (src/saferhomes/frontend/) into static/saferhomes/saferhomes.min.css.
# Run after changing a version or the Sass; commit the result. Nothing is built at run time.
#
# Saferhomes is not a GOV.UK service, so we vendor neither GDS Transport fonts nor crown images: the compiled CSS
# uses Arial and asks for no assets at all.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
static=src/saferhomes/static
rm -rf "$static/govuk" "$static/htmx"
mkdir -p "$static/govuk" "$static/htmx" "$static/saferhomes" tests/browser/vendor
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$static/govuk/"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map "$static/govuk/"
node -p "JSON.stringify({name: 'govuk-frontend', version: require('./node_modules/govuk-frontend/package.json').version}, null, 2)" \
  >"$static/govuk/VERSION.json"
cp node_modules/htmx.org/dist/htmx.min.js "$static/htmx/"
cp node_modules/htmx.org/LICENSE "$static/htmx/LICENSE"
cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js
npx --no-install sass --load-path=. --style=compressed --no-source-map --quiet-deps --silence-deprecation=import,global-builtin \
  src/saferhomes/frontend/saferhomes.scss "$static/saferhomes/saferhomes.min.css"
# Guard the promise above: no typeface or image that belongs to GOV.UK may sneak into the compiled CSS.
if grep -q -e 'GDS Transport' -e 'url(' "$static/saferhomes/saferhomes.min.css"; then
  echo "saferhomes.min.css refers to GDS Transport or an asset URL; check the Sass settings" >&2
  exit 1
fi
echo "Vendored govuk-frontend $(node -p "require('./node_modules/govuk-frontend/package.json').version"), htmx $(node -p "require('./node_modules/htmx.org/package.json').version"), axe-core $(node -p "require('./node_modules/axe-core/package.json').version"); compiled saferhomes.min.css ($(wc -c <"$static/saferhomes/saferhomes.min.css") bytes)"
