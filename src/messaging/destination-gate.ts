import type { OutboundTarget } from './outbound.js';

type Release = () => void;

/**
 * Caps the sends in flight to one destination (Slack's Web API, one response_url host, one Teams service host) in
 * this process. A host that hangs then holds only its share of the delivery slots until its calls time out, and
 * replies to every other destination keep flowing.
 *
 * Every slash command's reply goes to the same response_url host, so a healthy busy host is the common case: a job
 * that finds it full waits a moment for a slot, which the next finished send hands straight over, and only a host
 * still full after that (slow or hung) sends the job away to look again later.
 */
export class DestinationGate {
  private readonly inFlight = new Map<string, number>();
  private readonly waiting = new Map<string, ((release: Release) => void)[]>();

  constructor(private readonly maxPerDestination: number) {}

  /** Takes a slot for `destination`: the function that gives it back, or undefined when the destination is full. */
  tryEnter(destination: string): Release | undefined {
    const current = this.inFlight.get(destination) ?? 0;
    if (current >= this.maxPerDestination) return undefined;
    this.inFlight.set(destination, current + 1);
    return this.releaser(destination);
  }

  /** Takes a slot, waiting up to `maxWaitMs` for one to be given back; undefined when none was within that time. */
  async enter(destination: string, maxWaitMs: number): Promise<Release | undefined> {
    const now = this.tryEnter(destination);
    if (now || maxWaitMs <= 0) return now;
    return new Promise((resolve) => {
      const queue = this.waiting.get(destination) ?? [];
      const take = (release: Release) => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        const left = (this.waiting.get(destination) ?? []).filter((w) => w !== take);
        if (left.length > 0) this.waiting.set(destination, left);
        else this.waiting.delete(destination);
        resolve(undefined);
      }, maxWaitMs);
      queue.push(take);
      this.waiting.set(destination, queue);
    });
  }

  private releaser(destination: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the longest-waiting job, if any; the count in flight stays the same.
      const next = this.waiting.get(destination)?.shift();
      if (this.waiting.get(destination)?.length === 0) this.waiting.delete(destination);
      if (next) {
        next(this.releaser(destination));
        return;
      }
      const left = (this.inFlight.get(destination) ?? 1) - 1;
      if (left > 0) this.inFlight.set(destination, left);
      else this.inFlight.delete(destination);
    };
  }
}

/** The host a send to `target` talks to, as the gate counts it. */
export function destinationOf(target: OutboundTarget): string {
  if (target.platform === 'teams') return `teams:${hostOf(target.serviceUrl)}`;
  if (target.kind === 'response_url') return `slack-response:${hostOf(target.url)}`;
  return 'slack-api';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unparsable';
  }
}
