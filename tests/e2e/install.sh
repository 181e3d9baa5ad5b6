#!/bin/sh
# Sets up the end-to-end test of the LED web server: Debian's chromium and
# playwright-core (pinned in package-lock.json) to drive it. Safe to run again:
# each step runs only when what it installs is missing.
set -eu
cd "$(dirname "$0")"

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

if [ ! -x /usr/bin/chromium ]; then
    $SUDO apt-get update -qq
    # No recommends: they pull in printing and desktop services a headless run
    # never uses; the fonts are the one recommend the page needs to render text.
    $SUDO env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends chromium fonts-liberation
fi

if [ ! -d node_modules ]; then
    # The test launches /usr/bin/chromium: playwright must fetch no browser.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
