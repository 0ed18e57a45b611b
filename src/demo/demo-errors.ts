/** A start-up problem the person running the demo can fix: one line saying what is wrong, one saying what to do. */
export class DemoStartError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}\n  Fix: ${fix}`);
    this.name = 'DemoStartError';
  }
}
