#!/usr/bin/env bash
# Every test, fastest failures first: lint, types, migration drift, the production build, unit
# and integration tests (PostgreSQL, and the PGlite smoke suite), then end-to-end in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/ensure-deps.sh
bash scripts/ensure-test-services.sh
npx biome check .
npx tsc --noEmit
node --import tsx scripts/migrate.ts check
npx next build
npx vitest run
npx playwright test
