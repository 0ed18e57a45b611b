import { PermanentDeliveryError } from '../../core/errors.js';

/**
 * Hosts a response_url may point at: Slack's own, plus the Web API's host when one is configured (tests, proxies).
 * Anything else is refused, so a crafted payload can never make the bot post to a host of someone's choosing.
 */
export function responseUrlHosts(apiUrl?: string): ReadonlySet<string> {
  const hosts = new Set(['hooks.slack.com']);
  if (apiUrl) hosts.add(new URL(apiUrl).host);
  return hosts;
}

/** The parsed response_url, or a PermanentDeliveryError when it is malformed or on a host not allowed. */
export function checkedResponseUrl(url: string, hosts: ReadonlySet<string>): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PermanentDeliveryError('response_url is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new PermanentDeliveryError(`response_url scheme not allowed: ${parsed.protocol}`);
  if (!hosts.has(parsed.host)) throw new PermanentDeliveryError(`response_url host not allowed: ${parsed.host}`);
  return parsed;
}
