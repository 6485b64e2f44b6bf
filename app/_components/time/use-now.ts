"use client";

import { useSyncExternalStore } from "react";
import { serverNow } from "./server-clock";

// One shared 1 s timer for every countdown on the page: components subscribe, the timer runs
// only while someone listens, and all of them re-render on the same tick.

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let now = serverNow();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = serverNow();
    timer = setInterval(() => {
      now = serverNow();
      for (const l of listeners) l();
    }, 1_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const snapshot = () => now;
// The server's render and the browser's hydration both see "no time yet": a time rendered on
// the server is never the browser's (a minute or a second apart), so it would not hydrate. The
// browser renders the real time right after hydration.
const noTimeYet = () => null;

/** Server time in ms, updated every second (shared timer); null until the page has hydrated. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribe, snapshot, noTimeYet);
}
