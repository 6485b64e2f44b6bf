// Loads the demo data into the configured database (DATABASE_URL, or the embedded one). Idempotent.
import { loadConfig } from "../server/config";
import { openDatabase } from "../server/db/client";
import { ensureReferenceData } from "../server/db/reference-data";
import { seedDemoData } from "../server/demo/seed-demo";
import { systemClock } from "../server/engine/clock";

const config = loadConfig();
const db = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.ORCHESTRATOR_DATA_DIR,
  migrate: true,
});
try {
  await ensureReferenceData(db.prisma);
  const created = await seedDemoData({ prisma: db.prisma, clock: systemClock });
  console.log(created > 0 ? `Seeded ${created} demo tasks.` : "Demo data already present; nothing to do.");
} finally {
  await db.close();
}
