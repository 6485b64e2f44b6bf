"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { io } from "socket.io-client";
import { type ChangeEvent, SOCKET_EVENT, SOCKET_GAP_EVENT, SOCKET_PRINCIPAL_EVENT } from "@/lib/events";
import { queryKeys } from "../data/query-keys";
import { useFormat } from "../ui/format";
import { createLiveCache } from "./live-cache";

export type LiveStatus = "connecting" | "live" | "reconnecting";

interface LiveState {
  status: LiveStatus;
  /** When the data was last known current (connected, or a change heard); null before that. */
  asOf: number | null;
}

const LiveStatusContext = createContext<LiveState>({ status: "connecting", asOf: null });

export const useLiveStatus = () => useContext(LiveStatusContext).status;
export const useLiveState = () => useContext(LiveStatusContext);

/** How long to wait before trying again when the server refused the socket. */
const RETRY_REFUSED_MS = 5_000;

/**
 * One socket per tab (session cookie, or `token` for the wall display). Pushed changes go into
 * TanStack Query's cache (live-cache.ts); after a reconnect everything is refetched, since
 * changes made while offline were not heard; a `resync` from the server means the same.
 */
export function LiveChangesProvider({ token, children }: { token?: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: "connecting", asOf: null });

  useEffect(() => {
    const live = createLiveCache(queryClient);
    const socket = io({
      path: "/socket.io",
      transports: ["websocket", "polling"],
      ...(token ? { auth: { token } } : {}),
    });
    let connectedBefore = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // While live, the data is current up to now; once the socket is lost it is as of that moment.
    const setStatus = (status: LiveStatus) =>
      setState((s) => ({
        status,
        asOf: status === "live" || s.status === "live" ? Date.now() : s.asOf,
      }));
    // The browser knows at once when the network goes: no need to wait for a ping to time out.
    const onOffline = () => setStatus("reconnecting");
    const onOnline = () => {
      if (!socket.connected) socket.connect();
    };
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);
    if (!navigator.onLine) onOffline();
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
    socket.on(SOCKET_EVENT, (events: ChangeEvent[]) => {
      for (const event of events) live.apply(event);
    });
    // The server missed changes (its database listener healed after a loss): same as a reconnect.
    socket.on(SOCKET_GAP_EVENT, () => live.resync());
    // Our role changed (or our access ended): refetch who we are, so the UI shows what we may do.
    socket.on(SOCKET_PRINCIPAL_EVENT, () => void queryClient.invalidateQueries({ queryKey: queryKeys.me }));
    return () => {
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
      if (retry) clearTimeout(retry);
      live.dispose();
      socket.disconnect();
    };
  }, [queryClient, token]);

  return <LiveStatusContext.Provider value={state}>{children}</LiveStatusContext.Provider>;
}

/** "Live", or "Reconnecting…" with the time the data is from, so nobody trusts stale figures. */
export function LiveIndicator() {
  const { status, asOf } = useLiveState();
  const t = useTranslations("live");
  const format = useFormat();
  const colour = status === "live" ? "bg-emerald-500" : "bg-amber-500 animate-pulse";
  return (
    <span
      className="inline-flex items-center gap-2 text-sm"
      data-testid="live-status"
      data-status={status}
      role="status"
    >
      <span className={`h-2.5 w-2.5 rounded-full ${colour}`} aria-hidden />
      {status === "live" ? t("live") : status === "connecting" ? t("connecting") : t("reconnecting")}
      {status === "reconnecting" && asOf !== null && (
        <span className="muted text-xs" data-testid="live-as-of">
          {t("asOf", { time: format.time(asOf) })}
        </span>
      )}
    </span>
  );
}
