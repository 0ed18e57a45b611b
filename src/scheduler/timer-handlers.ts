import type { DateTime } from 'luxon';
import type { Tx } from '../store/db.js';
import type { AfterCommit } from '../store/unit-of-work.js';

export interface FiredTimer {
  id: string;
  key: string;
  kind: string;
  subjectId: string;
  dueAt: Date;
  rule: string;
}

export interface TimerFireContext {
  tx: Tx;
  timer: FiredTimer;
  now: DateTime;
  afterCommit: AfterCommit;
}

/** What a feature does when one of its timers fires. Runs inside the transaction that marks the timer fired. */
export type TimerHandler = (ctx: TimerFireContext) => Promise<void>;

export class TimerHandlerRegistry {
  private readonly handlers = new Map<string, TimerHandler>();

  register(kind: string, handler: TimerHandler): this {
    if (this.handlers.has(kind)) throw new Error(`timer kind "${kind}" is registered twice`);
    this.handlers.set(kind, handler);
    return this;
  }

  /** A new registry holding these handlers too (each runtime owns its registry; tests and the demo add kinds). */
  static including(extra?: TimerHandlerRegistry): TimerHandlerRegistry {
    const registry = new TimerHandlerRegistry();
    for (const [kind, handler] of extra?.handlers ?? []) registry.register(kind, handler);
    return registry;
  }

  get(kind: string): TimerHandler | undefined {
    return this.handlers.get(kind);
  }
}
