// Coalesced per-queue dispatch rounds, no debounce: a wake-up for a queue starts its round at
// once; at most one round per queue is in flight, and a queue woken while its round runs gets
// exactly one more round right after (which sees every change committed meanwhile).

export type QueueRound = (queue: string) => Promise<{ more: boolean }>;

export class QueueRounds {
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  private stopped = false;

  constructor(
    private readonly round: QueueRound,
    private readonly onError: (queue: string, error: unknown) => void,
  ) {}

  wake(queue: string): void {
    if (this.stopped) return;
    const current = this.running.get(queue);
    if (current) {
      current.again = true;
      return;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          const { more } = await this.round(queue);
          if (more) state.again = true;
        } while (state.again && !this.stopped);
      } catch (error) {
        this.onError(queue, error);
      } finally {
        this.running.delete(queue);
      }
    })();
    this.running.set(queue, state);
  }

  /** Stops starting rounds and waits for those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
