#!/bin/sh
# The status page in a real headless browser: a bot with its admin listener runs against the in-process fakes,
# takes a few users' commands, and Debian's chromium renders http://127.0.0.1:PORT/ (--dump-dom, checked for every
# section and real numbers) and takes the picture docs/status-page.png. Needs `chromium` (make browser-test installs it).
set -eu
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    echo "browser-test: chromium is not installed (make browser-test installs it)" >&2
    exit 1
fi
SWIFT="${SWIFT:-swift}"
shots="$(mktemp -d)"
trap 'rm -rf "$shots"' EXIT
"$SWIFT" build --build-tests
POLLBOT_BROWSER_TEST=1 POLLBOT_CHROMIUM="$(command -v chromium)" POLLBOT_SCREENSHOT="$shots/status-page.png" \
    "$SWIFT" test --skip-build --filter 'StatusPageEndToEndTests/chromiumRendersEverySectionWithRealNumbers'
# No picture means the test did not run (a filter that matched nothing passes too).
if [ ! -s "$shots/status-page.png" ]; then
    echo "browser-test: the browser test did not run" >&2
    exit 1
fi
mkdir -p docs
cp "$shots/status-page.png" docs/status-page.png
echo "browser-test: the status page rendered with every section; picture in docs/status-page.png"
