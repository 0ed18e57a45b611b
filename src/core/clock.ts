import { DateTime } from 'luxon';

/** The one source of "now". Tests and the demo inject their own. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = {
  now: () => DateTime.utc(),
};

/** A clock tests can move by hand. */
export class ManualClock implements Clock {
  constructor(private current: DateTime) {}
  now(): DateTime {
    return this.current;
  }
  set(to: DateTime): void {
    this.current = to;
  }
  advance(duration: Parameters<DateTime['plus']>[0]): DateTime {
    this.current = this.current.plus(duration);
    return this.current;
  }
}
