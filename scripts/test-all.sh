#!/usr/bin/env bash
# Every test, fastest failures first: lint, types, migration drift, the production build, unit
# and integration tests (PostgreSQL, and the PGlite smoke suite), then end-to-end in Chromium.
# Each stage runs even when an earlier one failed (but e2e needs the build), so one run tells
# everything; at the end, one line per stage with its time and counts, then the total as
# `N passed, N failed` (what CI reads; every test counts one, a check without tests counts one).
# Tests run in a shuffled order (Vitest files and tests, Playwright spec files) from one seed,
# printed with the summary: TEST_SEED=<seed> replays it, TEST_SEED=off keeps the files' order.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/ensure-deps.sh || exit 1
bash scripts/ensure-test-services.sh || exit 1

# A fixed default order (one that was run green), so CI is reproducible; TEST_SEED=random draws a
# new order, TEST_SEED=<n> replays one, TEST_SEED=off runs in file order.
seed="${TEST_SEED:-839639938}"
[ "$seed" = random ] && seed=$(node -e 'console.log(Math.floor(Math.random() * 2 ** 31))')
out="$(mktemp -d "${TMPDIR:-/tmp}/test-all.XXXXXX")"
summary=()
passed=0
failed=0
status=0

# run <stage> <command…>: runs it with its output shown, records rc and seconds.
run() {
  local stage="$1"
  shift
  echo
  echo "── $stage: $*"
  local started=$SECONDS
  "$@" 2>&1 | tee "$out/$stage.log"
  local rc=${PIPESTATUS[0]}
  echo "$rc $((SECONDS - started))" >"$out/$stage.rc"
  return "$rc"
}

# record <stage> <passed> <failed> <detail>
record() {
  local stage="$1" ok="$2" ko="$3" detail="$4" rc seconds
  read -r rc seconds <"$out/$stage.rc"
  passed=$((passed + ok))
  failed=$((failed + ko))
  if [ "$rc" != 0 ] || [ "$ko" != 0 ]; then status=1; fi
  summary+=("$(printf '%-17s %-4s %4ss  %s' "$stage" "$([ "$rc" = 0 ] && [ "$ko" = 0 ] && echo ok || echo FAIL)" "$seconds" "$detail")")
}

# One check without tests: passes or fails as a whole.
check() {
  local stage="$1" detail="$2" rc
  read -r rc _ <"$out/$stage.rc"
  if [ "$rc" = 0 ]; then record "$stage" 1 0 "$detail"; else record "$stage" 0 1 "$detail (exit $rc)"; fi
}

run lint npx biome check .
lint_errors="$(grep -Eo 'Found [0-9]+ errors?' "$out/lint.log" | head -n 1)"
check lint "$(grep -Eo 'Checked [0-9]+ files?' "$out/lint.log" | head -n 1), ${lint_errors:-no errors}"

run types npx tsc --noEmit
check types "$(grep -c 'error TS' "$out/types.log" || true) type errors"

run migrations node --import tsx scripts/migrate.ts check
check migrations "$(ls -d prisma/migrations/*/ | wc -l | tr -d ' ') migrations, schema drift checked"

run build npx next build
build_rc=$(cut -d' ' -f1 "$out/build.rc")
check build "$(grep -Eo 'Compiled successfully|Failed to compile' "$out/build.log" | head -n 1)"

# Counts from the runners' JSON reports, not from their screen output.
vitest_order=()
[ "$seed" != off ] && vitest_order=(--sequence.shuffle "--sequence.seed=$seed")
run unit+integration npx vitest run ${vitest_order[@]+"${vitest_order[@]}"} --reporter=default --reporter=json \
  "--outputFile.json=$out/vitest.json"
# Failed = failed tests, plus files that could not run at all, plus one if the run failed
# otherwise (an unhandled error): a red run never reads as green.
read -r ok ko skip < <(node -e '
  try {
    const r = require(process.argv[1]);
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    let failed = r.numFailedTests + broken;
    if (!r.success && failed === 0) failed = 1;
    console.log(r.numPassedTests, failed, r.numPendingTests + r.numTodoTests);
  } catch { console.log(0, 1, 0); }' "$out/vitest.json")
record unit+integration "$ok" "$ko" "$ok passed, $ko failed, $skip skipped (Vitest, shuffled: seed $seed)"

if [ "$build_rc" = 0 ]; then
  e2e_env=(PLAYWRIGHT_JSON_OUTPUT_NAME="$out/playwright.json")
  [ "$seed" != off ] && e2e_env+=(E2E_SHUFFLE="$seed")
  run e2e env "${e2e_env[@]}" npx playwright test --reporter=list,json
  read -r ok ko skip < <(node -e '
    try {
      const s = require(process.argv[1]).stats;
      const failed = s.unexpected + s.flaky;
      console.log(s.expected, failed === 0 && require(process.argv[1]).errors?.length ? 1 : failed, s.skipped);
    } catch { console.log(0, 1, 0); }' "$out/playwright.json")
  record e2e "$ok" "$ko" "$ok passed, $ko failed, $skip skipped (Playwright, spec files shuffled: seed $seed)"
else
  summary+=("$(printf '%-17s %-4s %4ss  %s' e2e FAIL 0 "not run: the build failed")")
  failed=$((failed + 1))
  status=1
fi

echo
echo "── summary (logs in $out)"
printf '%s\n' "${summary[@]}"
echo "total $SECONDS s"
echo "$passed passed, $failed failed"
exit "$status"
