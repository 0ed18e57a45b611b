// TEAMS_OPENID_METADATA_URL and TEAMS_TOKEN_ISSUER: where inbound Teams tokens' keys come from and whom they are from
// (a sovereign cloud); https only, except a server on this machine.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { minimalDatabase, problemsFor } from '../support/config-problems.js';

const teams = { ...minimalDatabase, MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'secret' };

describe('Teams token source settings', () => {
  it('are off by default (the public cloud)', () => {
    expect(loadConfig(teams).teams).toMatchObject({ openIdMetadataUrl: undefined, tokenIssuer: undefined });
  });

  it('pass an https metadata URL and an issuer through to the Teams settings', () => {
    const config = loadConfig({ ...teams, TEAMS_OPENID_METADATA_URL: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration', TEAMS_TOKEN_ISSUER: 'https://api.botframework.us' });
    expect(config.teams).toMatchObject({ openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration', tokenIssuer: 'https://api.botframework.us' });
  });

  it.each(['http://127.0.0.1:8080/.well-known/openid-configuration', 'http://localhost/.well-known/openid-configuration'])('allow plain http to this machine: %s', (url) => {
    expect(loadConfig({ ...teams, TEAMS_OPENID_METADATA_URL: url }).teams?.openIdMetadataUrl).toBe(url);
  });

  it.each(['http://login.example.org/.well-known/openid-configuration', 'http://127.0.0.1.example.org/x', 'ftp://127.0.0.1/x', 'not a url'])('refuse %s in one line naming the variable', (url) => {
    const problems = problemsFor({ ...teams, TEAMS_OPENID_METADATA_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TEAMS_OPENID_METADATA_URL: TEAMS_OPENID_METADATA_URL must be an https URL/);
  });
});
