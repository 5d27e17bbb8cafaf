#!/usr/bin/env bash
# Re-vendors axe-core (npm package, MPL-2.0) for the browser tests: its minified script and licence, committed here so a
# machine without Node still runs the accessibility tests. Pages get it through Playwright, never from a CDN.
# Usage: bash tests/DporReports.BrowserTests/Infrastructure/axe/vendor-axe-core.sh [version]   (default: the pinned one)
set -euo pipefail
version=${1:-4.14.1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$version" > /dev/null)
tar -xzf "$work"/axe-core-"$version".tgz -C "$work"
cp "$work/package/axe.min.js" "$here/axe.min.js"
cp "$work/package/LICENSE" "$here/LICENSE"
echo "$version" > "$here/VERSION"
echo "axe-core $version vendored into $here"
