import { isDatabaseUnavailable } from "../db/unavailable";
import type { Logger } from "../logger";

/** How soon a loop paused by a database outage tries again. */
export const OUTAGE_RETRY_MS = 1_000;

/**
 * A background loop's view of database outages: while the database is out of reach the loop is
 * paused (one warning, not an error per round) and retries every OUTAGE_RETRY_MS; its first
 * successful round after that logs that it resumed. Other errors are logged as they come.
 */
export function outageGuard(log: Logger, loop: string) {
  let paused = false;
  return {
    /** Logs the failure; true when it was an outage (retry soon). */
    failed(error: unknown, message: string): boolean {
      if (!isDatabaseUnavailable(error)) {
        log.error({ err: error, loop }, message);
        return false;
      }
      if (!paused) log.warn({ loop, error: (error as Error).message }, "database unavailable: loop paused");
      paused = true;
      return true;
    },
    succeeded(): void {
      if (paused) log.info({ loop }, "database back: loop resumed");
      paused = false;
    },
    get paused() {
      return paused;
    },
  };
}
