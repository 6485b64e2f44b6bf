import { z } from "zod";
import { DEFAULT_ARCHIVE_AFTER_DAYS } from "../tracking/archive";
import { DEFAULT_EVENTS_RETENTION_HOURS } from "../tracking/event-outbox";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from "./delivery-worker";
import { assertUsableSecret } from "./signing";

// The integrations' environment, read once at start-up; a bad value stops the server with the
// variable's name (like server/config.ts).

const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

const schema = z.object({
  ORCHESTRATOR_INTEGRATIONS: z.enum(["0", "1", "true", "false"]).default("1"),
  CLIENT_INTAKE_URL: z.url({ protocol: /^https?$/ }).optional(),
  CLIENT_INTAKE_SECRET: z.string().min(1).optional(),
  ARCHIVE_AFTER_DAYS: positiveInt(DEFAULT_ARCHIVE_AFTER_DAYS, 36_500),
  WEBHOOK_TIMEOUT_MS: positiveInt(DEFAULT_DELIVERY_POLICY.timeoutMs, 60_000),
  WEBHOOK_MAX_ATTEMPTS: positiveInt(DEFAULT_DELIVERY_POLICY.maxAttempts, 50),
  WEBHOOK_CONCURRENCY: positiveInt(4, 64),
  WEBHOOK_RETENTION_DAYS: positiveInt(30, 36_500),
  EVENTS_RETENTION_HOURS: positiveInt(DEFAULT_EVENTS_RETENTION_HOURS, 87_600),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
});

export interface IntegrationSettings {
  /** False: this instance runs none of the loops (another instance does); the API still works. */
  enabled: boolean;
  clientIntake: { url?: string; secret?: string };
  archiveAfterDays: number;
  policy: DeliveryPolicy;
  concurrency: number;
  retentionDays: number;
  /** Delivered events older than this are pruned from the outbox (tracking/event-outbox.ts). */
  eventsRetentionHours: number;
  /** Days of audit log kept (tracking/audit-retention.ts); null keeps it all. */
  auditRetentionDays: number | null;
}

export function integrationSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): IntegrationSettings {
  const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);
  const parsed = schema.safeParse(
    Object.fromEntries(Object.keys(schema.shape).map((key) => [key, blankToUndefined(env[key])])),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.CLIENT_INTAKE_URL && !e.CLIENT_INTAKE_SECRET) {
    throw new Error(
      "Invalid configuration: CLIENT_INTAKE_SECRET is required with CLIENT_INTAKE_URL (notifications are signed)",
    );
  }
  if (e.CLIENT_INTAKE_SECRET) {
    try {
      assertUsableSecret(e.CLIENT_INTAKE_SECRET);
    } catch {
      throw new Error(
        "Invalid configuration: CLIENT_INTAKE_SECRET: a whsec_ secret must be base64 after the prefix",
      );
    }
  }
  return {
    enabled: e.ORCHESTRATOR_INTEGRATIONS === "1" || e.ORCHESTRATOR_INTEGRATIONS === "true",
    clientIntake: { url: e.CLIENT_INTAKE_URL, secret: e.CLIENT_INTAKE_SECRET },
    archiveAfterDays: e.ARCHIVE_AFTER_DAYS,
    policy: {
      ...DEFAULT_DELIVERY_POLICY,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    },
    concurrency: e.WEBHOOK_CONCURRENCY,
    retentionDays: e.WEBHOOK_RETENTION_DAYS,
    eventsRetentionHours: e.EVENTS_RETENTION_HOURS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS ?? null,
  };
}
