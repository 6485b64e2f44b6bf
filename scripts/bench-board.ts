// The board and /queues at scale in Chromium, as a bench: runs e2e/board-scale.spec.ts (10,000
// live tasks loaded by SQL into the PostgreSQL of a server of its own, the real board and socket) for
// --rounds rounds, each on a fresh server and database, and prints every figure the spec records as
// median (min–max) over the rounds, with the load average before and after. The spec asserts
// what the board shows, never how fast: the times are here. Needs the production build
// (`npx next build`). Usage: npm run bench:board [-- --rounds 3]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { spread } from "./bench/stats";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds ${values.rounds}: a whole number ≥ 1`);

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
const dir = mkdtempSync(path.join(os.tmpdir(), "bench-board-"));
const before = load();
const figures = new Map<string, number[]>();

for (let round = 1; round <= rounds; round++) {
  const out = path.join(dir, `round-${round}.json`);
  console.log(`round ${round}/${rounds}…`);
  const run = spawnSync("npx", ["playwright", "test", "e2e/board-scale.spec.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, BOARD_SCALE_OUT: out, E2E_QUIET_BROWSER: "1" },
  });
  if (run.status !== 0) {
    console.error(`round ${round} failed (exit ${run.status}): no figures from it`);
    process.exit(1);
  }
  const recorded = JSON.parse(readFileSync(out, "utf8")) as Record<string, number>;
  for (const [name, value] of Object.entries(recorded)) {
    if (name === "activeTasks") continue;
    figures.set(name, [...(figures.get(name) ?? []), value]);
  }
}

console.log(`\nboard at scale in Chromium, ${rounds} rounds, median (min–max)`);
console.log("| figure | median (min–max) |\n|---|---|");
for (const [name, samples] of figures) console.log(`| ${name} | ${spread(samples)} |`);
console.log(`\nload average (1/5/15 min): ${before} before, ${load()} after`);
