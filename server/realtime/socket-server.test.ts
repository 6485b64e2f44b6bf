import { describe, expect, it } from "vitest";
import { SOCKET_HEARTBEAT } from "./socket-server";

// The README promises "Reconnecting" within 5 s of losing the server. A server that stops closes
// its sockets (heard at once: e2e/restart.spec.ts), a browser that goes offline says so at once
// (e2e/liveness.spec.ts); a server gone silent is noticed by the heartbeat, whose worst case is a
// ping interval plus its timeout. This is that sum, checked on the settings the server uses.
describe("the socket heartbeat", () => {
  it("notices a silent server within 5 s: one ping interval plus the ping timeout", () => {
    expect(SOCKET_HEARTBEAT.pingInterval + SOCKET_HEARTBEAT.pingTimeout).toBeLessThanOrEqual(5_000);
  });
});
