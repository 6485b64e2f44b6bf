import { io, type Socket } from "socket.io-client";
import { type ChangeEvent, SOCKET_EVENT, SOCKET_GAP_EVENT } from "@/lib/events";
import { waitFor } from "./wait-for";

/** A socket.io client as the board opens it, recording what the server pushes. */
export interface LiveSocket {
  socket: Socket;
  events: ChangeEvent[];
  /** How many `resync` (gap) signals arrived. */
  gaps: () => number;
  /** Set when the server ended the socket. */
  disconnected: () => string | null;
  close(): void;
}

export async function openLiveSocket(
  url: string,
  auth: { token?: string; cookie?: string },
): Promise<LiveSocket> {
  const socket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    ...(auth.token ? { auth: { token: auth.token } } : {}),
    ...(auth.cookie ? { extraHeaders: { cookie: auth.cookie } } : {}),
  });
  const events: ChangeEvent[] = [];
  let gaps = 0;
  let disconnected: string | null = null;
  socket.on(SOCKET_EVENT, (batch: ChangeEvent[]) => events.push(...batch));
  socket.on(SOCKET_GAP_EVENT, () => {
    gaps += 1;
  });
  socket.on("disconnect", (reason) => {
    disconnected = reason;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
  return {
    socket,
    events,
    gaps: () => gaps,
    disconnected: () => disconnected,
    close: () => socket.close(),
  };
}

/** Polls `probe` until it holds (generous overall limit; no fixed sleeps in the tests). */
export async function waitUntil(
  what: string,
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  context: () => string = () => "",
): Promise<void> {
  await waitFor(what, probe, { timeoutMs, context });
}
