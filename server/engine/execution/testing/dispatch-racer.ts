// A dispatcher process for the multi-process race test (dispatch-race.test.ts):
//   node --import tsx server/engine/execution/testing/dispatch-racer.ts <database-url>
// Loops dispatch rounds on the database until no task is QUEUED any more, then prints
// {"pid", "rounds", "scheduled"} as one JSON line and exits.
import { openDatabase } from "../../../db/client";
import { systemClock } from "../../clock";
import { dispatchOnce } from "../dispatcher";

const url = process.argv[2];
if (!url) {
  console.error("usage: dispatch-racer.ts <database-url>");
  process.exit(2);
}

const db = await openDatabase({ url, poolSize: 2 });
const ctx = { prisma: db.prisma, clock: systemClock };
let rounds = 0;
let scheduled = 0;
const deadline = Date.now() + 120_000;
try {
  for (;;) {
    const result = await dispatchOnce(ctx);
    rounds += 1;
    scheduled += result.scheduled.length;
    if (result.scheduled.length === 0) {
      const waiting = await db.prisma.task.count({ where: { state: "QUEUED" } });
      if (waiting === 0) break;
      if (Date.now() > deadline) throw new Error(`gave up with ${waiting} tasks still QUEUED`);
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
    }
  }
  console.log(JSON.stringify({ pid: process.pid, rounds, scheduled }));
} finally {
  await db.close();
}
