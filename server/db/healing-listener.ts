import pg from "pg";

// LISTEN on a dedicated PostgreSQL connection that heals. LISTEN is per session: when that
// session dies (server restart, failover, pg_terminate_backend, a network cut noticed by TCP
// keepalive) nothing arrives any more, silently. So the listener watches its connection, and
// once it is lost reconnects with capped exponential backoff, LISTENs again and calls `onGap`:
// notifications sent while it was down are lost for good, so subscribers must resynchronise
// (sockets refetch, the dispatcher runs a round) exactly as after a reconnect of their own.

export interface ListenerState {
  channel: string;
  up: boolean;
  /** When the connection was last established or lost. */
  since: Date;
  /** Successful reconnections since start. */
  reconnects: number;
}

export interface HealingListenerOptions {
  url: string;
  channel: string;
  onPayload: (payload: string) => void;
  /** Called after each reconnection: notifications may have been missed meanwhile. */
  onGap?: () => void;
  /** Told when the connection is lost or back (for logs). */
  onStateChange?: (state: ListenerState, error?: unknown) => void;
  /** First retry delay; doubles up to maxBackoffMs (default 100 ms → 5 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface HealingListener {
  state(): ListenerState;
  close(): Promise<void>;
}

/** Connects and LISTENs (throws when the first connection fails), then heals by itself. */
export async function startHealingListener(options: HealingListenerOptions): Promise<HealingListener> {
  const minBackoff = options.minBackoffMs ?? 100;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  let current: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;
  const state: ListenerState = { channel: options.channel, up: false, since: new Date(), reconnects: 0 };

  function setUp(up: boolean, error?: unknown): void {
    if (state.up === up) return;
    state.up = up;
    state.since = new Date();
    options.onStateChange?.({ ...state }, error);
  }

  async function connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: options.url,
      keepAlive: true,
      // As long as the pool waits (db/client.ts): on a loaded machine a backend can take more
      // than 5 s to start, and the first connection failing ends the server's start-up.
      connectionTimeoutMillis: 15_000,
    });
    const lost = (error?: unknown) => {
      if (current !== client) return;
      current = undefined;
      client.end().catch(() => {});
      if (closed) return;
      setUp(false, error);
      scheduleReconnect();
    };
    client.on("notification", (msg) => {
      if (msg.channel === options.channel && msg.payload !== undefined) options.onPayload(msg.payload);
    });
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    attempt = 0;
    setUp(true);
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    const base = Math.min(maxBackoff, minBackoff * 2 ** attempt);
    attempt += 1;
    // Jitter so that every instance does not knock on a restarted database at the same instant.
    const delay = base / 2 + Math.random() * (base / 2);
    retryTimer = setTimeout(async () => {
      retryTimer = undefined;
      try {
        await connect();
        if (closed) return;
        state.reconnects += 1;
        options.onGap?.();
      } catch (error) {
        options.onStateChange?.({ ...state }, error);
        scheduleReconnect();
      }
    }, delay);
    retryTimer.unref();
  }

  await connect();

  return {
    state: () => ({ ...state }),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const client = current;
      current = undefined;
      await client?.end().catch(() => {});
    },
  };
}
