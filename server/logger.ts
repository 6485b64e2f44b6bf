import pino from "pino";

/** Structured JSON logs. Secrets never go in: authorization and cookie headers are redacted. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: "task-orchestrator" },
  redact: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token"],
});

export type Logger = typeof logger;
