#!/usr/bin/env bash
# What the tests need beyond npm: a PostgreSQL server and a Chromium. On a fresh Debian machine
# of this project's kind, starts the local PostgreSQL if it is stopped and installs Debian's
# chromium (Playwright cannot download its own browser without internet). Elsewhere it only checks.
set -euo pipefail

admin_url="${TEST_DATABASE_URL:-${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}}"

pg_ready() { node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$admin_url"; }

if ! pg_ready; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Starting the local PostgreSQL cluster…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  fi
  pg_ready || { echo "No PostgreSQL at $admin_url (set TEST_DATABASE_URL)." >&2; exit 1; }
fi

has_browser() {
  [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ] ||
    ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-* >/dev/null 2>&1
}
if ! has_browser; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the end-to-end tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    npx playwright install chromium
  fi
fi
