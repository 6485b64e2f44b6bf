"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { ApiError, apiFetch, setApiBearerToken } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { LiveChangesProvider, LiveIndicator, useLiveState } from "../live/live-changes";
import { useNow } from "../time/use-now";
import { useFormat } from "../ui/format";
import { WallAtRisk, WallEscalations, WallKpis, WallQueues } from "./wall-sections";

function Clock() {
  const now = useNow();
  const format = useFormat();
  if (now === null) return <time className="text-3xl tabular-nums" />;
  return (
    <time className="text-3xl tabular-nums" dateTime={new Date(now).toISOString()}>
      {format.time(now)}
    </time>
  );
}

/** When the feed drops the figures freeze: say so, with their time, until it is back by itself. */
function StaleBanner() {
  const { status, asOf } = useLiveState();
  const t = useTranslations("wall");
  const format = useFormat();
  if (status !== "reconnecting" || asOf === null) return null;
  return (
    <p
      role="alert"
      className="rounded-xl bg-amber-500 px-4 py-2 text-2xl font-semibold text-slate-950"
      data-testid="wall-stale"
    >
      {t("dataAsOf", { time: format.time(asOf) })}
    </p>
  );
}

/**
 * The wall display: full screen, dark, large type, no navigation. It authenticates with its wall
 * token (every fetch and the socket), follows changes live and reconnects by itself.
 */
export function WallDisplay({ token }: { token: string }) {
  // Before the first query of this tab: every fetch carries the token.
  setApiBearerToken(token);
  const t = useTranslations("wall");
  const app = useTranslations("app");
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
          {refused ? t("invalidToken") : t("noAnswer", { message: me.error.message })}
        </p>
      </WallFrame>
    );
  }
  if (!me.data) {
    return (
      <WallFrame>
        <p className="text-3xl">{t("connecting")}</p>
      </WallFrame>
    );
  }
  return (
    <LiveChangesProvider token={token}>
      <WallFrame>
        <header className="flex items-center justify-between gap-4">
          <h1 className="text-4xl font-bold">{app("name")}</h1>
          <div className="flex items-center gap-6 text-2xl">
            <LiveIndicator />
            <Clock />
          </div>
        </header>
        <StaleBanner />
        {/* Breaches and forecasts first (top left, the larger share), queues beside, KPIs along the bottom. */}
        <div className="grid min-h-0 flex-1 gap-[1.2vw] lg:grid-cols-[3fr_2fr]">
          <div className="flex min-h-0 flex-col gap-[1.2vw]">
            <WallAtRisk />
            <WallEscalations />
          </div>
          <WallQueues />
        </div>
        <WallKpis />
      </WallFrame>
    </LiveChangesProvider>
  );
}

function WallFrame({ children }: { children: React.ReactNode }) {
  return (
    // A TV from across the room: the root font size follows the viewport (globals.css, .wall-root),
    // so every rem-sized text and gap is as readable at 3840×2160 as at 1920×1080.
    <main
      className="wall-root dark flex h-screen flex-col gap-[1.2vw] overflow-hidden bg-slate-950 p-[1.5vw] text-slate-100 [color-scheme:dark]"
      data-testid="wall"
    >
      {children}
    </main>
  );
}
