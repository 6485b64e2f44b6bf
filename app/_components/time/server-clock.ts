// The server's clock as seen from this tab: SLA countdowns are computed against server time, so
// a browser whose clock is off still shows the right remaining time. The offset is measured from
// the `serverTime` of the board and queue responses (half the round trip is ignored: < 1 s).

let offsetMs = 0;

/** Records the server time a response carried. */
export function noteServerTime(serverTime: string | undefined | null): void {
  if (!serverTime) return;
  const server = Date.parse(serverTime);
  if (!Number.isNaN(server)) offsetMs = server - Date.now();
}

export function serverOffsetMs(): number {
  return offsetMs;
}

export function serverNow(): number {
  return Date.now() + offsetMs;
}
