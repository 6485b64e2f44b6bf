import pino from "pino";
import { redactUrl } from "./redact";

/**
 * Structured JSON logs. Secrets never go in: authorization and cookie headers, passwords, tokens
 * and secrets are redacted, and any `url` logged has its secret query parameters masked
 * (redact.ts: the wall's ?token= among them).
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: "task-orchestrator" },
  serializers: {
    err: pino.stdSerializers.err,
    url: (url: unknown) => (typeof url === "string" ? redactUrl(url) : url),
  },
  redact: [
    "req.headers.authorization",
    "req.headers.cookie",
    "password",
    "token",
    "secret",
    "*.password",
    "*.token",
    "*.secret",
    "*.key",
  ],
});

export type Logger = typeof logger;
