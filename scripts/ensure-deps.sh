#!/usr/bin/env bash
# Installs the project's npm packages when missing or older than the lock file, and generates
# the Prisma client. Shared by the run and test commands so a fresh clone needs nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/false}" npx prisma generate >/dev/null
