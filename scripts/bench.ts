// Engine benchmark against graphile-worker, in one run on one fresh PostgreSQL database:
//   npm run bench [-- --tasks 1000 --rounds 3 --latency 200 --rate 20 --workers 10]
//
// Interleaved rounds (ours, then graphile's, then ours…) of:
//   (a) throughput on an unbounded queue: N tasks through the full lifecycle (dispatch, claim,
//       complete, each through the one door) against N no-op graphile jobs at concurrency 10;
//   (b) the seed's queue mix with its capacities (slot handover), against (a);
//   (c) dispatch latency: creation commit → SCHEDULED heard on the change bus, against
//       graphile's addJob → job start, at the same send rate;
//   (d) last, on the real server (needs a production build: `npx next build`): task creations
//       through the HTTP API at --http-rate with --sockets socket.io clients open; HTTP p99,
//       creation answer → socket p50/p99, dropped events (no graphile counterpart);
//   (e) what a NOTIFY per transaction costs: commits/s of small transactions with and without.
// Prints median and min–max of each, the ratio, and the load average before and after.
// Admin connection: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres@127.0.0.1:5432.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { type Database, openDatabase } from "../server/db/client";
import { ensureReferenceData } from "../server/db/reference-data";
import { systemClock } from "../server/engine/clock";
import type { EngineContext } from "../server/engine/context";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";
import { graphileLatency, graphileThroughput } from "./bench/graphile";
import { startHttpBench } from "./bench/http";
import { commitsPerSecond } from "./bench/notify-cost";
import { dispatchLatency, lifecycleThroughput, SEED_MIX } from "./bench/orchestrator";
import { median, percentile, type Row, spread, table } from "./bench/stats";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "1000" },
    rounds: { type: "string", default: "3" },
    latency: { type: "string", default: "200" },
    rate: { type: "string", default: "20" },
    workers: { type: "string", default: "10" },
    "claim-batch": { type: "string", default: "50" },
    "http-changes": { type: "string", default: "1000" },
    "http-rate": { type: "string", default: "100" },
    sockets: { type: "string", default: "200" },
    /** Only (d): e.g. to measure the HTTP path again on its own. */
    "http-only": { type: "boolean", default: false },
  },
});
const N = Number(values.tasks);
const ROUNDS = Number(values.rounds);
const SAMPLES = Number(values.latency);
const RATE = Number(values.rate);
const settings = { workers: Number(values.workers), claimBatch: Number(values["claim-batch"]) };
const adminUrl = process.env.BENCH_DATABASE_URL ?? TEST_ADMIN_URL;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

const name = `orch_bench_${randomBytes(4).toString("hex")}`;
await admin(`CREATE DATABASE ${name}`);
const url = databaseUrl(adminUrl, name);
let db: Database | undefined;
try {
  db = await openDatabase({ url, migrate: true, poolSize: 12 });
  await ensureReferenceData(db.prisma);
  const ctx: EngineContext = { prisma: db.prisma, sql: db.sql, clock: systemClock, slotHandover: true };
  const loadBefore = load();
  console.log(
    `bench on PostgreSQL (${name}): ${N} tasks, ${ROUNDS} rounds, ${settings.workers} workers ` +
      `(claim batch ${settings.claimBatch}), latency ${SAMPLES} samples at ${RATE}/s; ` +
      `load average (1/5/15 min) ${loadBefore}, ${os.cpus().length} cores`,
  );
  const a = { ours: [] as number[], peer: [] as number[] };
  const b: number[] = [];
  const c = { p50: [] as number[], p99: [] as number[], peer50: [] as number[], peer99: [] as number[] };
  const e = { with: [] as number[], without: [] as number[] };
  for (let round = 1; round <= (values["http-only"] ? 0 : ROUNDS); round++) {
    a.ours.push(await lifecycleThroughput(db, ctx, N, ["backlog"], settings));
    a.peer.push(await graphileThroughput(url, N));
    b.push(await lifecycleThroughput(db, ctx, N, SEED_MIX, settings));
    const ours = await dispatchLatency(db, ctx, SAMPLES, RATE);
    const peer = await graphileLatency(url, SAMPLES, RATE);
    c.p50.push(percentile(ours, 50));
    c.p99.push(percentile(ours, 99));
    c.peer50.push(percentile(peer, 50));
    c.peer99.push(percentile(peer, 99));
    e.with.push(await commitsPerSecond(url, N * 2, true));
    e.without.push(await commitsPerSecond(url, N * 2, false));
    console.log(
      `round ${round}: (a) ${a.ours.at(-1)?.toFixed(0)} vs ${a.peer.at(-1)?.toFixed(0)} /s; ` +
        `(b) ${b.at(-1)?.toFixed(0)} /s; (c) p99 ${c.p99.at(-1)?.toFixed(1)} vs ${c.peer99.at(-1)?.toFixed(1)} ms; load ${load()}`,
    );
  }
  const d = {
    sustained: [] as number[],
    http50: [] as number[],
    http99: [] as number[],
    s50: [] as number[],
    s99: [] as number[],
    dropped: [] as number[],
    serverCpu: [] as number[],
    clientCpu: [] as number[],
  };
  if (existsSync(".next/BUILD_ID") && Number(values["http-changes"]) > 0) {
    const http = await startHttpBench(url, Number(values.sockets));
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const r = await http.round(Number(values["http-changes"]), Number(values["http-rate"]));
        d.sustained.push(r.sustained);
        d.http50.push(r.httpP50);
        d.http99.push(r.httpP99);
        d.s50.push(r.socketP50);
        d.s99.push(r.socketP99);
        d.dropped.push(r.dropped);
        d.serverCpu.push(r.serverCpuMs);
        d.clientCpu.push(r.clientCpuMs);
        console.log(
          `(d) round ${round}: ${r.sustained.toFixed(0)} changes/s, HTTP p50 ${r.httpP50.toFixed(1)} / p99 ${r.httpP99.toFixed(1)} ms, ` +
            `socket p50 ${r.socketP50.toFixed(1)} / p99 ${r.socketP99.toFixed(1)} ms, dropped ${r.dropped}, ` +
            `CPU per change: server ${r.serverCpuMs.toFixed(1)} ms, bench clients ${r.clientCpuMs.toFixed(1)} ms; load ${load()}`,
        );
      }
    } finally {
      await http.close();
    }
  } else {
    console.log("(d) skipped: no production build (.next/BUILD_ID); run `npx next build` first");
  }
  const rows: Row[] = values["http-only"]
    ? []
    : [
        {
          workload: "(a) unbounded queue, full lifecycle",
          unit: "tasks/s",
          ours: a.ours,
          peer: a.peer,
          better: "higher",
        },
        {
          workload: "(b) seed queue mix with capacities",
          unit: "tasks/s",
          ours: b,
          peer: a.peer,
          better: "higher",
        },
        {
          workload: "(b) ÷ our (a)",
          unit: "ratio",
          ours: b.map((v, i) => v / a.ours[i]!),
          peer: null,
          better: "higher",
          digits: 2,
        },
        {
          workload: "(c) dispatch latency p50",
          unit: "ms",
          ours: c.p50,
          peer: c.peer50,
          better: "lower",
          digits: 1,
        },
        {
          workload: "(c) dispatch latency p99",
          unit: "ms",
          ours: c.p99,
          peer: c.peer99,
          better: "lower",
          digits: 1,
        },
      ];
  if (d.sustained.length > 0) {
    const asked = `asked ${values["http-rate"]}/s, ${values.sockets} sockets`;
    rows.push(
      {
        workload: `(d) HTTP changes sustained (${asked})`,
        unit: "changes/s",
        ours: d.sustained,
        peer: null,
        better: "higher",
      },
      { workload: "(d) HTTP p50", unit: "ms", ours: d.http50, peer: null, better: "lower", digits: 1 },
      { workload: "(d) HTTP p99", unit: "ms", ours: d.http99, peer: null, better: "lower", digits: 1 },
      {
        workload: "(d) commit → socket p50",
        unit: "ms",
        ours: d.s50,
        peer: null,
        better: "lower",
        digits: 1,
      },
      {
        workload: "(d) commit → socket p99",
        unit: "ms",
        ours: d.s99,
        peer: null,
        better: "lower",
        digits: 1,
      },
      { workload: "(d) events dropped", unit: "events", ours: d.dropped, peer: null, better: "lower" },
      {
        workload: "(d) server CPU per change",
        unit: "ms",
        ours: d.serverCpu,
        peer: null,
        better: "lower",
        digits: 1,
      },
      {
        workload: "(d) bench clients' CPU per change (200 sockets, sender)",
        unit: "ms",
        ours: d.clientCpu,
        peer: null,
        better: "lower",
        digits: 1,
      },
    );
  }
  const notifyRatio = median(e.with) / median(e.without);
  const notifyLine = values["http-only"]
    ? ""
    : `(e) NOTIFY cost: ${spread(e.with)} commits/s with one NOTIFY per transaction, ` +
      `${spread(e.without)} without (${notifyRatio.toFixed(2)}×)\n`;
  console.log(
    `\n${table(rows)}\n\n${notifyLine}load average (1/5/15 min): before ${loadBefore}, after ${load()}`,
  );
} finally {
  await db?.close();
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
