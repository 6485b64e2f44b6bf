import type { Tx } from "../engine/context";

// A credential that changed (a key revoked, a session ended, a user deactivated or given another
// role) is announced on its own NOTIFY channel, in the transaction that changed it: every
// instance then re-authenticates the open sockets of that principal (realtime/credential-watch.ts).

export const CREDENTIALS_CHANNEL = "orchestrator_credentials";

export interface CredentialChange {
  /** Principal kind and id as in Principal: an API key's id, or a user's id. */
  kind: "api_key" | "user";
  id: string;
}

export async function announceCredentialChange(tx: Tx, change: CredentialChange): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${CREDENTIALS_CHANNEL}, ${JSON.stringify(change)})`;
}
