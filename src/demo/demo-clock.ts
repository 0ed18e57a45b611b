import { DateTime } from 'luxon';
import type { Clock } from '../core/clock.js';
import type { Db } from '../store/db.js';
import { demoSettingKeys, readDemoSetting, writeDemoSetting } from './demo-settings.js';

/**
 * The demo's clock: real time plus an offset that only moves forward, kept in RuntimeSetting. The whole runtime
 * (commands, timers, workers) reads this clock in demo mode; outside demo mode nothing can create one.
 */
export class DemoClock implements Clock {
  private offsetMs = 0;
  private db: Db | undefined;

  constructor(private readonly realNow: () => DateTime = () => DateTime.utc()) {}

  now(): DateTime {
    return this.realNow().plus({ milliseconds: this.offsetMs });
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Reads the offset saved by an earlier run, and remembers where to save it. */
  async attach(db: Db): Promise<void> {
    this.db = db;
    const saved = await readDemoSetting<number>(db, demoSettingKeys.clockOffsetMs);
    this.offsetMs = typeof saved === 'number' && Number.isFinite(saved) && saved > 0 ? saved : 0;
  }

  /** Moves the clock forward to `target` (never back) and saves the new offset. */
  async advanceTo(target: DateTime): Promise<void> {
    const extra = target.toMillis() - this.now().toMillis();
    if (extra <= 0) return;
    this.offsetMs += extra;
    if (this.db) await writeDemoSetting(this.db, demoSettingKeys.clockOffsetMs, this.offsetMs);
  }
}
