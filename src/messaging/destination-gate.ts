import type { OutboundTarget } from './outbound.js';

/**
 * Caps the sends in flight to one destination (Slack's Web API, one response_url host, one Teams service host) in
 * this process. A host that hangs then holds only its share of the delivery slots until its calls time out, and
 * replies to every other destination keep flowing.
 */
export class DestinationGate {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly maxPerDestination: number) {}

  /** Takes a slot for `destination`: the function that gives it back, or undefined when the destination is full. */
  tryEnter(destination: string): (() => void) | undefined {
    const current = this.inFlight.get(destination) ?? 0;
    if (current >= this.maxPerDestination) return undefined;
    this.inFlight.set(destination, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
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
