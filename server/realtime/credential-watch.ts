import { CREDENTIALS_CHANNEL, type CredentialChange } from "../auth/credential-changes";
import type { Database, Unlisten } from "../db/client";
import type { Logger } from "../logger";

/**
 * Tells the socket server whose credentials changed, from any instance: a change names one
 * principal; `null` means "anyone" (the LISTEN connection healed after a loss, so changes may
 * have been missed; and a slow periodic recheck catches sessions that simply expired).
 */
export async function watchCredentials(
  db: Database,
  logger: Logger,
  onChange: (change: CredentialChange | null) => void,
  options: { recheckMs?: number } = {},
): Promise<Unlisten> {
  const unlisten = await db.listen(
    CREDENTIALS_CHANNEL,
    (payload) => {
      try {
        onChange(JSON.parse(payload) as CredentialChange);
      } catch (error) {
        logger.warn({ err: error }, "ignored a malformed credential notification");
      }
    },
    { onGap: () => onChange(null) },
  );
  const timer = setInterval(() => onChange(null), options.recheckMs ?? 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await unlisten();
  };
}
