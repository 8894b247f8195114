#!/usr/bin/env bash
# One idempotent set-up for `npm start`, `npm test` and CI: npm packages, a Chromium for
# rendering, the compiled CLI and, with --test-tools, the validators the tests run
# (EPUBCheck, poppler-utils, qpdf, Ace by DAISY). Each step is skipped when its result is
# already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test_tools=0
for arg in "$@"; do
  case "$arg" in
    --test-tools) want_test_tools=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'setup: %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    say "cannot install $* automatically (no apt-get). Install it with your package manager."
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "installing $* needs root: run 'apt-get install -y $*' as root, then try again."
      return 1
    fi
  fi
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    $sudo apt-get update -qq >&2
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

# 1. npm packages. The stamp records the lock file it was installed from, so a changed lock
#    file reinstalls and an unchanged one costs nothing.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.briefpack-setup
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "installing npm packages"
  # Puppeteer's own browser download cannot work without internet; we use a system Chromium.
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > "$stamp"
fi

# 2. A Chromium to print with, unless one is named. Debian's headless shell is preferred: the
#    same engine without the browser's windows, faster and smaller for printing. Where it cannot
#    be installed, an installed Chrome or Chromium does; failing that, Debian's chromium.
have_browser=0
if [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ]; then
  if [ -x "$PUPPETEER_EXECUTABLE_PATH" ]; then have_browser=1; else
    say "PUPPETEER_EXECUTABLE_PATH=$PUPPETEER_EXECUTABLE_PATH is not an executable file; installing Debian's Chromium instead"
  fi
fi
if [ "$have_browser" = 0 ] && command -v chromium-headless-shell >/dev/null 2>&1; then have_browser=1; fi
if [ "$have_browser" = 0 ]; then
  other=""
  for candidate in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then other=$candidate; break; fi
  done
  # Without root, an installed browser is used as it is rather than asking for a password.
  if [ -n "$other" ] && [ "$(id -u)" != 0 ]; then have_browser=1
  elif apt_install chromium-headless-shell; then have_browser=1
  elif [ -n "$other" ]; then have_browser=1
  fi
fi
if [ "$have_browser" = 0 ]; then
  apt_install chromium || { say "no Chromium: install one (Debian: apt-get install chromium-headless-shell) or set PUPPETEER_EXECUTABLE_PATH"; exit 3; }
fi

# 3. Validators and PDF inspectors for the tests.
if [ "$want_test_tools" = 1 ]; then
  missing=()
  [ -f /usr/share/java/epubcheck.jar ] || missing+=(epubcheck)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
  # The full browser as well as the headless shell: users and CI runners often print with it, and
  # the tests (tests/integration/browsers.test.ts) and the bench's *-full-browser cases do too.
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}" || exit 3
  fi

  # Ace by DAISY, the EPUB accessibility checker that --validate runs when it is installed. It
  # has a folder of its own so that its 81 MB stay out of every `npm start`; --ignore-scripts
  # keeps Puppeteer from downloading a browser (briefpack points Ace at its own Chromium).
  ace_hash=$(sha256sum tools/ace/package-lock.json | cut -d' ' -f1)
  ace_stamp=tools/ace/node_modules/.briefpack-setup
  if [ ! -f "$ace_stamp" ] || [ "$(cat "$ace_stamp")" != "$ace_hash" ]; then
    say "installing Ace by DAISY (tools/ace)"
    npm ci --prefix tools/ace --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    echo "$ace_hash" > "$ace_stamp"
  fi
fi

# 4. The CLI itself (incremental: a no-op when nothing in src/ changed), then bundled into one
#    file for a fast start, unless the bundle is already newer than everything it is made of.
npx --no-install tsc -p tsconfig.json >&2
if [ ! -f dist/briefpack.mjs ] || [ -n "$(find dist -name '*.js' -newer dist/briefpack.mjs -print -quit)" ]; then
  node scripts/bundle.mjs >&2
fi
