import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface Listening {
  server: Server;
  address: AddressInfo;
  /** How this machine reaches the server (loopback when it listens on every interface). */
  url: string;
}

/** Starts the public server on `host` (0.0.0.0 in production; the demo passes 127.0.0.1). */
export async function listenOn(app: Express, port: number, host: string): Promise<Listening> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const reachAt = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, address, url: `http://${reachAt}:${address.port}` };
}
