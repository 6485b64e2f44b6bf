#!/usr/bin/env bash
# What the tests need beyond npm: a PostgreSQL server and a Chromium. On a fresh Debian machine
# of this project's kind, starts the local PostgreSQL if it is stopped and installs Debian's
# chromium (Playwright cannot download its own browser without internet). Elsewhere it only checks.
set -euo pipefail

# As test/config.ts reads it: TEST_DATABASE_URL, else DATABASE_URL, else the local server. With
# PostgreSQL elsewhere (a laptop, a container), TEST_DATABASE_URL alone is enough.
admin_url="${TEST_DATABASE_URL:-${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}}"

pg_ready() { node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$admin_url"; }

if ! pg_ready; then
  # Debian's service only for the default local server: a URL given elsewhere is not ours to start.
  if [ -z "${TEST_DATABASE_URL:-}${DATABASE_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Starting the local PostgreSQL cluster…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done # bounded wait for the server to accept
  fi
  pg_ready || { echo "No PostgreSQL at $admin_url (set TEST_DATABASE_URL)." >&2; exit 1; }
fi

# The same choice the e2e run makes (e2e/chromium.ts): Playwright's own browser wherever its
# cache is (Linux, macOS, PLAYWRIGHT_BROWSERS_PATH), else CHROMIUM_PATH or a system Chromium of a
# close enough version. Only when none fits is one installed.
has_browser() { node --import tsx e2e/chromium.ts; }
if ! has_browser; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ] &&
    ! [ -x /usr/lib/chromium/chromium ]; then
    echo "Installing Debian's chromium for the end-to-end tests…"
    # Another run on this machine may be installing it at the same moment: wait for its lock.
    apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
  else
    npx playwright install chromium
  fi
  has_browser
fi
