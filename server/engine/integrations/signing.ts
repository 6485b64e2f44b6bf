import { randomBytes } from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

// Standard Webhooks (https://www.standardwebhooks.com) signatures, through the reference
// library: HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>", headers webhook-id,
// webhook-timestamp (Unix seconds) and webhook-signature ("v1,<base64>").

const SECRET_PREFIX = "whsec_";

/** A new secret: whsec_ + base64 of 32 random bytes. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** What lists show instead of the secret. */
export function secretHint(secret: string): string {
  return secret.startsWith(SECRET_PREFIX) ? `${secret.slice(0, 10)}…` : `${secret.slice(0, 2)}…`;
}

/**
 * The library's signer for a secret: a whsec_ secret is base64 after the prefix (the standard);
 * any other string (e.g. a CLIENT_INTAKE_SECRET shared with an older receiver) is used as raw bytes.
 */
export function webhookFor(secret: string): Webhook {
  return secret.startsWith(SECRET_PREFIX) ? new Webhook(secret) : new Webhook(secret, { format: "raw" });
}

/** Throws when the library cannot use the secret (bad base64, empty). */
export function assertUsableSecret(secret: string): void {
  webhookFor(secret);
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three Standard Webhooks headers for one attempt of a message. */
export function signMessage(secret: string, messageId: string, at: Date, body: string): SignedHeaders {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": webhookFor(secret).sign(messageId, at, body),
  };
}

export type VerifyResult = { ok: true; messageId: string } | { ok: false; reason: string };

/**
 * Checks an inbound message's signature with the source's secret; the library also refuses a
 * timestamp more than 5 minutes from now (replays of old captures).
 */
export function verifyMessage(secret: string, body: string, headers: Headers): VerifyResult {
  const wanted = {
    "webhook-id": headers.get("webhook-id") ?? "",
    "webhook-timestamp": headers.get("webhook-timestamp") ?? "",
    "webhook-signature": headers.get("webhook-signature") ?? "",
  };
  try {
    webhookFor(secret).verify(body, wanted, { jsonParse: false });
    return { ok: true, messageId: wanted["webhook-id"] };
  } catch (error) {
    if (error instanceof WebhookVerificationError) return { ok: false, reason: error.message };
    return { ok: false, reason: "Invalid signature" };
  }
}
