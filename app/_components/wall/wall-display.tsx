"use client";

import { useQuery } from "@tanstack/react-query";
import { ApiError, apiFetch, setApiBearerToken } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { LiveChangesProvider, LiveIndicator } from "../live/live-changes";
import { useNow } from "../time/use-now";
import { WallAtRisk, WallEscalations, WallKpis, WallQueues } from "./wall-sections";

function Clock() {
  const now = useNow();
  return (
    <time className="text-3xl tabular-nums" dateTime={new Date(now).toISOString()}>
      {new Date(now).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}
    </time>
  );
}

/**
 * The wall display: full screen, dark, large type, no navigation. It authenticates with its wall
 * token (every fetch and the socket), follows changes live and reconnects by itself.
 */
export function WallDisplay({ token }: { token: string }) {
  // Before the first query of this tab: every fetch carries the token.
  setApiBearerToken(token);
  const me = useQuery({
    queryKey: queryKeys.me,
    queryFn: () => apiFetch<{ name: string }>("/api/v1/auth/me"),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 3,
  });

  if (me.error) {
    const refused = me.error instanceof ApiError && (me.error.status === 401 || me.error.status === 403);
    return (
      <WallFrame>
        <p role="alert" className="text-3xl">
          {refused
            ? "This wall token is not valid (revoked, or not a wall token). Ask an admin for a new wall URL."
            : `The server does not answer (${me.error.message}); retrying…`}
        </p>
      </WallFrame>
    );
  }
  if (!me.data) {
    return (
      <WallFrame>
        <p className="text-3xl">Connecting…</p>
      </WallFrame>
    );
  }
  return (
    <LiveChangesProvider token={token}>
      <WallFrame>
        <header className="flex items-center justify-between gap-4">
          <h1 className="text-4xl font-bold">Task Orchestrator</h1>
          <div className="flex items-center gap-6 text-2xl">
            <LiveIndicator />
            <Clock />
          </div>
        </header>
        <WallKpis />
        <WallQueues />
        <div className="grid gap-4 xl:grid-cols-2">
          <WallAtRisk />
          <WallEscalations />
        </div>
      </WallFrame>
    </LiveChangesProvider>
  );
}

function WallFrame({ children }: { children: React.ReactNode }) {
  return (
    <main
      className="dark flex min-h-screen flex-col gap-4 bg-slate-950 p-6 text-slate-100 [color-scheme:dark]"
      data-testid="wall"
    >
      {children}
    </main>
  );
}
