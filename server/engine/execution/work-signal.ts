import { type EventsNotice, wakingTypes } from "@/lib/events";

// Workers wait for work instead of polling an empty queue: a claim that finds nothing waits for
// a committed change that may have made a task claimable (a dispatch, a retry or resume, a
// start now), then claims again (worker-protocol.ts claimTasks with waitMs; the HTTP claim's
// wait_seconds is a long-poll over it).

/** Changes after which a task may be claimable (of a notice's wakingTypes: not another worker's claim). */
const CLAIMABLE = new Set(["task.scheduled", "task.in_progress"]);

export interface WorkSignal {
  /** Bumped by every claimable change heard. */
  readonly generation: number;
  /** Resolves once `generation` has passed `seen`, after `timeoutMs`, or when `abort` fires. */
  changedSince(seen: number, timeoutMs: number, abort?: AbortSignal): Promise<void>;
}

type Subscribe = (listener: (notice: EventsNotice) => void) => () => void;

class ChangeSignal implements WorkSignal {
  generation = 0;
  private readonly waiters = new Set<() => void>();

  constructor(subscribe: Subscribe) {
    subscribe((notice) => {
      if (!wakingTypes(notice).some((type) => CLAIMABLE.has(type))) return;
      this.generation += 1;
      for (const wake of [...this.waiters]) wake();
    });
  }

  changedSince(seen: number, timeoutMs: number, abort?: AbortSignal): Promise<void> {
    if (this.generation !== seen || timeoutMs <= 0 || abort?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        abort?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref?.();
      this.waiters.add(done);
      abort?.addEventListener("abort", done, { once: true });
    });
  }
}

const signals = new WeakMap<object, WorkSignal>();

/** The work signal over a change bus (one per bus, made on first use). */
export function workSignal(bus: { subscribeNotices: Subscribe }): WorkSignal {
  let signal = signals.get(bus);
  if (!signal) {
    signal = new ChangeSignal((listener) => bus.subscribeNotices(listener));
    signals.set(bus, signal);
  }
  return signal;
}
