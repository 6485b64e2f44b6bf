import path from "node:path";
import { z } from "zod";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.url().optional(),
  ORCHESTRATOR_DATA_DIR: z.string().default(path.join(process.cwd(), ".data", "pglite")),
  ORCHESTRATOR_DEMO: flag,
  MIGRATE_ON_START: z
    .enum(["0", "1", "true", "false"])
    .default("1")
    .transform((v) => v === "1" || v === "true"),
  TRUST_PROXY: flag,
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Where executors reach this server (callback URLs of webhook pushes); default http://localhost:PORT. */
  ORCHESTRATOR_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type ServerConfig = z.infer<typeof schema>;

/** Reads the environment once at start-up; a bad value stops the server with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = schema.safeParse({
    ...env,
    DATABASE_URL: env.DATABASE_URL || undefined,
    ORCHESTRATOR_PUBLIC_URL: env.ORCHESTRATOR_PUBLIC_URL || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
