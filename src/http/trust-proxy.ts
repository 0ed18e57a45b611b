import { isIP } from 'node:net';

/** Express's `trust proxy`: a hop count, or addresses, CIDR ranges and the names loopback/linklocal/uniquelocal. */
export type TrustProxy = false | number | readonly string[];

const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as express would take it, minus `true` (which believes any client's X-Forwarded-For, so anyone could
 * claim any address). Empty or `false`: trust no proxy.
 */
export function parseTrustProxy(text: string | undefined): { value: TrustProxy } | { problem: string } {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'false') return { value: false };
  if (value === 'true') {
    return { problem: 'true would believe X-Forwarded-For from any client; give the hop count to your proxy (e.g. 1), loopback, or its addresses or CIDR ranges' };
  }
  if (/^\d+$/.test(value)) return { value: Number(value) };
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  const wrong = entries.find((entry) => !namedRanges.has(entry) && !isAddressOrRange(entry));
  if (wrong !== undefined) return { problem: `"${wrong}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal` };
  return { value: entries };
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  // A prefix length, or a dotted netmask as express also accepts.
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(prefix) === 4;
}
