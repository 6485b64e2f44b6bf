/** Every time-dependent rule reads this, so tests can move time instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-01-15T10:00:00Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  advanceHours(hours: number): Date {
    return this.advance(hours * 3_600_000);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
