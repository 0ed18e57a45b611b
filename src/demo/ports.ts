import { createServer } from 'node:net';
import { DemoStartError } from './demo-errors.js';

/** True when nothing listens on the port (checked on all interfaces, as the bot and the Playground bind them). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the operating system says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '0.0.0.0', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The port to use for one of the demo's servers. A port the person asked for must be free (or we say how to pick
 * another); the default falls back to any free port, since the demo prints the one URL to open anyway.
 */
export async function choosePort(what: string, requested: number | undefined, fallback: number, flag: string): Promise<number> {
  if (requested !== undefined) {
    if (requested === 0) return freePort();
    if (await isPortFree(requested)) return requested;
    throw new DemoStartError(
      `Port ${requested} for the ${what} is already in use (another demo or bot still running?).`,
      `stop whatever uses it, or choose another port: npm run demo -- ${flag} ${requested + 1}`,
    );
  }
  return (await isPortFree(fallback)) ? fallback : freePort();
}
