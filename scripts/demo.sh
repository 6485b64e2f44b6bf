#!/usr/bin/env bash
# Installs, builds and starts the app with demo data. Without DATABASE_URL it runs on an
# embedded PostgreSQL (PGlite) kept in .data/pglite.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
bash scripts/ensure-deps.sh
npx next build
ORCHESTRATOR_DEMO="${ORCHESTRATOR_DEMO:-1}" NODE_ENV=production exec node --import tsx server/main.ts
