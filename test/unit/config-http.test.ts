import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { minimalDatabase, problemsFor } from '../support/config-problems.js';

const database = minimalDatabase;

describe('HTTP settings', () => {
  it('by default listen on every interface, trust no proxy, and serve metrics on 127.0.0.1:9464 only', () => {
    const config = loadConfig({ ...database });
    expect(config.host).toBe('0.0.0.0');
    expect(config.trustProxy).toBe(false);
    expect(config.metricsPort).toBe(9464);
    expect(config.metricsToken).toBeUndefined();
  });

  it('HOST picks the interface, e.g. loopback only', () => {
    expect(loadConfig({ ...database, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(problemsFor({ ...database, HOST: 'not a host!' })[0]).toMatch(/^HOST: /);
  });

  it('TRUST_PROXY takes what express takes: a hop count, loopback and friends, addresses and CIDR ranges', () => {
    expect(loadConfig({ ...database, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...database, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ...database, TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ ...database, TRUST_PROXY: '10.0.0.0/8, 192.168.1.4,fd00::/8 , uniquelocal' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.4', 'fd00::/8', 'uniquelocal']);
  });

  it('TRUST_PROXY=true is refused, with what to write instead; so is an address that is not one', () => {
    const [trueProblem] = problemsFor({ ...database, TRUST_PROXY: 'true' });
    expect(trueProblem).toMatch(/^TRUST_PROXY: .*any client.*hop count/);
    expect(problemsFor({ ...database, TRUST_PROXY: '10.0.0.300/8' })[0]).toMatch(/^TRUST_PROXY: .*"10\.0\.0\.300\/8"/);
    expect(problemsFor({ ...database, TRUST_PROXY: '10.0.0.0/33' })[0]).toMatch(/^TRUST_PROXY: /);
  });

  it('METRICS_PORT moves the metrics port or turns it off; METRICS_TOKEN must be long enough to be a secret', () => {
    expect(loadConfig({ ...database, METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect(loadConfig({ ...database, METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    expect(loadConfig({ ...database, METRICS_PORT: 'off' }).metricsPort).toBeUndefined();
    expect(problemsFor({ ...database, METRICS_PORT: 'lots' })[0]).toMatch(/^METRICS_PORT: /);
    expect(loadConfig({ ...database, METRICS_TOKEN: 'x'.repeat(32) }).metricsToken).toBe('x'.repeat(32));
    expect(problemsFor({ ...database, METRICS_TOKEN: 'short' })[0]).toMatch(/^METRICS_TOKEN: .*32/);
  });
});
