// Test support (not used at run time): a real HTTP receiver on 127.0.0.1 with a random port,
// recording every request (raw body and headers) and answering as the test scripts it.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What to do with the n-th request: a status code, "hang" (never answer), or "hold" (answer on `release`). */
export type Reply = number | "hang" | "hold";

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Replies for the next requests, in order; after them, `fallback`. */
  script(...replies: Reply[]): void;
  fallback: Reply;
  /** Answers every held request with `status` (default 200). */
  release(status?: number): void;
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startReceiver(fallback: Reply = 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const queue: Reply[] = [];
  const hanging = new Set<ServerResponse>();
  const held: ServerResponse[] = [];
  const answer = (res: ServerResponse, status: number) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: status < 300 }));
  };
  const waiters: (() => void)[] = [];
  const receiver = { fallback } as Receiver;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      for (const wake of waiters.splice(0)) wake();
      const reply = queue.shift() ?? receiver.fallback;
      if (reply === "hang") {
        hanging.add(res);
        return;
      }
      if (reply === "hold") {
        held.push(res);
        return;
      }
      answer(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    script(...replies: Reply[]) {
      queue.push(...replies);
    },
    release(status = 200) {
      for (const res of held.splice(0)) answer(res, status);
    },
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} requests, got ${requests.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return requests;
    },
    async close() {
      for (const res of [...hanging, ...held.splice(0)]) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The receivers a test file starts, so they can be closed together after each test. */
export function receiverSet() {
  const open: Receiver[] = [];
  return {
    async start(fallback: Reply = 200): Promise<Receiver> {
      const r = await startReceiver(fallback);
      open.push(r);
      return r;
    },
    /** Closes one now: its URL then refuses connections. */
    async stop(r: Receiver): Promise<void> {
      open.splice(open.indexOf(r), 1);
      await r.close();
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((r) => r.close()));
    },
  };
}
