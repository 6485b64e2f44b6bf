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

/** Server time in ms, updated every second (shared timer). */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
