"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { io } from "socket.io-client";
import { type ChangeEvent, SOCKET_EVENT, SOCKET_GAP_EVENT, SOCKET_PRINCIPAL_EVENT } from "@/lib/events";
import { queryKeys } from "../data/query-keys";
import { createLiveCache } from "./live-cache";

export type LiveStatus = "connecting" | "live" | "reconnecting";

const LiveStatusContext = createContext<LiveStatus>("connecting");

export const useLiveStatus = () => useContext(LiveStatusContext);

/** How long to wait before trying again when the server refused the socket. */
const RETRY_REFUSED_MS = 5_000;

/**
 * One socket per tab (session cookie, or `token` for the wall display). Pushed changes go into
 * TanStack Query's cache (live-cache.ts); after a reconnect everything is refetched, since
 * changes made while offline were not heard; a `resync` from the server means the same.
 */
export function LiveChangesProvider({ token, children }: { token?: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");

  useEffect(() => {
    const live = createLiveCache(queryClient);
    const socket = io({
      path: "/socket.io",
      transports: ["websocket", "polling"],
      ...(token ? { auth: { token } } : {}),
    });
    let connectedBefore = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on("connect", () => {
      setStatus("live");
      if (connectedBefore) live.resync();
      connectedBefore = true;
    });
    socket.on("disconnect", (reason) => {
      setStatus("reconnecting");
      // The server closed it (restart, shutdown): socket.io does not retry on its own then.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", () => {
      setStatus("reconnecting");
      // Refused by the server's middleware (e.g. during a restart): socket.io stops retrying.
      if (!socket.active) retry = setTimeout(() => socket.connect(), RETRY_REFUSED_MS);
    });
    socket.on(SOCKET_EVENT, (event: ChangeEvent) => live.apply(event));
    // The server missed changes (its database listener healed after a loss): same as a reconnect.
    socket.on(SOCKET_GAP_EVENT, () => live.resync());
    // Our role changed (or our access ended): refetch who we are, so the UI shows what we may do.
    socket.on(SOCKET_PRINCIPAL_EVENT, () => void queryClient.invalidateQueries({ queryKey: queryKeys.me }));
    return () => {
      if (retry) clearTimeout(retry);
      live.dispose();
      socket.disconnect();
    };
  }, [queryClient, token]);

  return <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>;
}

export function LiveIndicator() {
  const status = useLiveStatus();
  const colour = status === "live" ? "bg-emerald-500" : "bg-amber-500 animate-pulse";
  return (
    <span
      className="inline-flex items-center gap-2 text-sm"
      data-testid="live-status"
      data-status={status}
      role="status"
    >
      <span className={`h-2.5 w-2.5 rounded-full ${colour}`} aria-hidden />
      {status === "live" ? "Live" : status === "connecting" ? "Connecting…" : "Reconnecting…"}
    </span>
  );
}
