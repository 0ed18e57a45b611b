// Keeps the Teams and Slack app manifests honest: valid against their schemas (offline), icons the right size,
// and the commands they advertise exactly the commands the bot handles (src/commands/catalog.ts).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { commandCatalogOf } from '../../src/app/install-features.js';
import { features } from '../../src/app/features.js';

const commandCatalog = commandCatalogOf(features);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const teamsDir = join(root, 'manifest', 'teams');
const slackManifestPath = join(root, 'manifest', 'slack', 'manifest.yaml');

const PLACEHOLDER_GUID = '00000000-0000-0000-0000-000000000000';
/** Teams shows at most 10 commands per command list (bot menu); newer schemas accept 12 but clients show 10. */
const TEAMS_MAX_COMMANDS = 10;
/** Slack app manifest schema v1: features.slash_commands[].usage_hint maxLength. */
const SLACK_USAGE_HINT_MAX = 1000;
const SLASH_COMMAND = '/safeguarding';
const SLACK_REQUEST_PATH = '/slack/events';

/** Demo-only commands (`npm run demo`) are never advertised in the app manifests. */
const advertised = commandCatalog.filter((c) => !c.demoOnly);
const catalogNames = advertised.map((c) => c.name);

function missingFrom(expected: readonly string[], actual: readonly string[]): string[] {
  return expected.filter((x) => !actual.includes(x));
}

function duplicates(xs: readonly string[]): string[] {
  return xs.filter((x, i) => xs.indexOf(x) !== i);
}

// ---------------------------------------------------------------------------------------------------------------
// Minimal PNG reader: IHDR always; pixels for 8-bit RGBA non-interlaced images (what our generator writes).

interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  idat: Buffer;
}

function readPng(buf: Buffer): PngInfo {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!buf.subarray(0, 8).equals(signature)) throw new Error('not a PNG (bad signature)');
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('first chunk is not IHDR');
  const idats: Buffer[] = [];
  let off = 8;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    if (type === 'IDAT') idats.push(buf.subarray(off + 8, off + 8 + len));
    if (type === 'IEND') break;
    off += 12 + len;
  }
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf.readUInt8(24),
    colorType: buf.readUInt8(25),
    interlace: buf.readUInt8(28),
    idat: Buffer.concat(idats),
  };
}

/** Decodes the pixels of an 8-bit RGBA, non-interlaced PNG, undoing all five row filters. */
function rgbaPixels(png: PngInfo): Uint8Array {
  if (png.bitDepth !== 8 || png.colorType !== 6 || png.interlace !== 0) {
    throw new Error(`pixel check supports 8-bit RGBA non-interlaced only (got depth ${png.bitDepth}, colour type ${png.colorType})`);
  }
  const bpp = 4;
  const stride = png.width * bpp;
  const raw = inflateSync(png.idat);
  const out = new Uint8Array(stride * png.height);
  for (let y = 0; y < png.height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= bpp ? (out[y * stride + x - bpp] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= bpp && y > 0 ? (out[(y - 1) * stride + x - bpp] ?? 0) : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter type ${filter} on row ${y}`);
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

describe('command catalog fits both manifests', () => {
  it('has unique single-word lower-case names (they are typed after /safeguarding and into Teams)', () => {
    expect(duplicates(catalogNames), 'duplicate command names in commandCatalog').toEqual([]);
    for (const name of catalogNames) expect(name, `command name "${name}"`).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it(`needs at most 3 Teams command lists of ${TEAMS_MAX_COMMANDS} to advertise every command`, () => {
    // A Teams command list shows at most 10 commands and a bot has at most 3 lists (one per scope).
    expect(advertised.length, `${advertised.length} advertised commands`).toBeLessThanOrEqual(3 * (TEAMS_MAX_COMMANDS - 1) + 1);
  });
});

describe('Teams app manifest (manifest/teams/manifest.json)', () => {
  let manifest: TeamsManifest;
  // Loosely typed view for structural assertions (the package's type is a union over all schema versions).
  let json: {
    $schema: string;
    manifestVersion: string;
    id: string;
    accentColor: string;
    icons: { color: string; outline: string };
    validDomains?: string[];
    description: { short: string; full: string };
    bots: Array<{
      botId: string;
      scopes: string[];
      supportsFiles?: boolean;
      commandLists?: Array<{ scopes: string[]; commands: Array<{ title: string; description?: string }> }>;
    }>;
  };
  const fetchCalls: string[] = [];

  beforeAll(async () => {
    const text = await readFile(join(teamsDir, 'manifest.json'), 'utf8');
    json = JSON.parse(text) as typeof json;
    manifest = JSON.parse(text) as TeamsManifest;
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('uses a schema version bundled in @microsoft/app-manifest, so validation never goes to the network', () => {
    const m = /\/json-schemas\/teams\/v(\d+\.\d+)\/MicrosoftTeams\.schema\.json$/.exec(json.$schema);
    expect(m, `$schema ${json.$schema}`).not.toBeNull();
    expect(m?.[1], '$schema version and manifestVersion differ').toBe(json.manifestVersion);
    const [major, minor] = json.manifestVersion.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor, 'use v1.19 or later (v1.18 does not exist and would be fetched)').toBeGreaterThanOrEqual(19);
    const pkgMain = createRequire(import.meta.url).resolve('@microsoft/app-manifest');
    const local = join(dirname(pkgMain), 'json-schemas', 'teams', `v${json.manifestVersion}`, 'MicrosoftTeams.schema.json');
    expect(existsSync(local), `schema not bundled offline: ${local}`).toBe(true);
  });

  it('validates against its JSON schema with zero errors, offline', async () => {
    vi.stubGlobal('fetch', (input: unknown) => {
      fetchCalls.push(String(input));
      return Promise.reject(new Error(`network access attempted: ${String(input)}`));
    });
    const errors = await AppManifestUtils.validateAgainstSchema(manifest);
    expect(fetchCalls, 'schema validation tried to fetch').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the validator really checks (a broken copy fails)', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('network access attempted')));
    const broken = structuredClone(json);
    const bot = broken.bots[0];
    if (!bot) throw new Error('no bot');
    bot.botId = 'not-a-guid';
    const errors = await AppManifestUtils.validateAgainstSchema(broken as unknown as TeamsManifest);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('keeps placeholder ids in the repository (replace with your MICROSOFT_APP_ID when packaging)', () => {
    expect(json.id).toBe(PLACEHOLDER_GUID);
    expect(json.bots[0]?.botId).toBe(PLACEHOLDER_GUID);
  });

  it('declares one conversational bot in personal, team and group chat scopes, without files', () => {
    expect(json.bots).toHaveLength(1);
    const bot = json.bots[0];
    expect([...(bot?.scopes ?? [])].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot?.supportsFiles).toBe(false);
    expect(json.validDomains?.length ?? 0).toBeGreaterThan(0);
  });

  it('says in its description that chat carries case references only, no personal data', () => {
    expect(json.description.full).toMatch(/case references only/i);
    expect(json.description.full).toMatch(/personal data/i);
  });

  for (const scope of ['personal', 'team', 'groupChat']) {
    it(`lists at most ${TEAMS_MAX_COMMANDS} of the catalog's commands for the ${scope} scope, help among them`, () => {
      const lists = (json.bots[0]?.commandLists ?? []).filter((l) => l.scopes.includes(scope));
      expect(lists, `command lists covering ${scope}`).toHaveLength(1);
      const commands = lists[0]?.commands ?? [];
      const titles = commands.map((c) => c.title);
      expect(titles).toContain('help');
      expect(missingFrom(titles, catalogNames), `Teams ${scope} commands the bot does not handle`).toEqual([]);
      expect(duplicates(titles)).toEqual([]);
      expect(titles.length).toBeLessThanOrEqual(TEAMS_MAX_COMMANDS);
      for (const c of commands) {
        // Older schemas (<= 1.23) cap title at 32 and description at 128; stay within them.
        expect(c.title.length, c.title).toBeLessThanOrEqual(32);
        expect(c.description?.length ?? 0, `description of ${c.title}`).toBeGreaterThan(0);
        expect(c.description?.length ?? 0, `description of ${c.title}`).toBeLessThanOrEqual(128);
      }
    });
  }

  it("advertises every catalog command in at least one Teams command list, the same way in each", () => {
    const commands = (json.bots[0]?.commandLists ?? []).flatMap((l) => l.commands);
    expect(missingFrom(catalogNames, commands.map((c) => c.title)), 'catalog commands missing from every Teams command list').toEqual([]);
    for (const name of catalogNames) expect(new Set(commands.filter((c) => c.title === name).map((c) => c.description)).size, name).toBe(1);
  });


  it('ships a 192x192 colour icon and a 32x32 white-on-transparent outline icon', async () => {
    const color = readPng(await readFile(join(teamsDir, json.icons.color)));
    expect([color.width, color.height]).toEqual([192, 192]);

    const outline = readPng(await readFile(join(teamsDir, json.icons.outline)));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const px = rgbaPixels(outline);
    let white = 0;
    let notWhite = 0;
    for (let i = 0; i < px.length; i += 4) {
      if ((px[i + 3] ?? 0) === 0) continue;
      if (px[i] === 255 && px[i + 1] === 255 && px[i + 2] === 255) white++;
      else notWhite++;
    }
    expect(notWhite, 'outline icon pixels that are visible but not white').toBe(0);
    expect(white, 'outline icon has no visible pixels').toBeGreaterThan(0);
    expect(white, 'outline icon background must be transparent').toBeLessThan(32 * 32);
  });
});

describe('Slack app manifest (manifest/slack/manifest.yaml)', () => {
  interface SlashCommand {
    command: string;
    url?: string;
    description: string;
    usage_hint?: string;
    should_escape?: boolean;
  }
  interface SlackManifest {
    _metadata?: { major_version?: number };
    display_information: { name: string; description?: string; long_description?: string; background_color?: string };
    features?: {
      app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
      bot_user?: { display_name: string; always_online?: boolean };
      slash_commands?: SlashCommand[];
    };
    oauth_config?: { scopes?: { bot?: string[]; user?: string[] } };
    settings?: {
      event_subscriptions?: { request_url?: string; bot_events?: string[]; user_events?: string[] };
      interactivity?: { is_enabled: boolean; request_url?: string };
      org_deploy_enabled?: boolean;
      socket_mode_enabled?: boolean;
      token_rotation_enabled?: boolean;
    };
  }

  /** The bot events the Slack adapter handles; change together with its handlers. */
  const EXPECTED_BOT_EVENTS = ['app_home_opened', 'app_mention', 'message.im', 'member_joined_channel'];
  /**
   * Scopes each bot event needs (Slack Events API reference). member_joined_channel needs channels:read for
   * public and groups:read for private channels; partnership groups use both, so both are required here.
   */
  const EVENT_SCOPES: Record<string, string[]> = {
    app_home_opened: [],
    app_mention: ['app_mentions:read'],
    'message.im': ['im:history'],
    member_joined_channel: ['channels:read', 'groups:read'],
  };
  /** Exactly the bot scopes the bot uses (see manifest/slack/README.md for why each one). */
  const EXPECTED_BOT_SCOPES = [
    'commands',
    'chat:write',
    'im:write',
    'files:write',
    'im:history',
    'app_mentions:read',
    'users:read',
    'users:read.email',
    'channels:read',
    'groups:read',
  ];

  let m: SlackManifest;

  beforeAll(async () => {
    m = parseYaml(await readFile(slackManifestPath, 'utf8')) as SlackManifest;
  });

  it('is a v1 manifest with only known top-level sections and display information within limits', () => {
    expect(m._metadata?.major_version).toBe(1);
    expect(Object.keys(m).filter((k) => !['_metadata', 'display_information', 'features', 'oauth_config', 'settings'].includes(k))).toEqual([]);
    const d = m.display_information;
    expect(d.name).toBe('Partnership Bot');
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description?.length ?? 0).toBeGreaterThan(0);
    expect(d.description?.length ?? 0).toBeLessThanOrEqual(140);
    // Slack rejects a long_description shorter than 175 characters.
    expect(d.long_description?.length ?? 0).toBeGreaterThanOrEqual(175);
    expect(d.long_description?.length ?? 0).toBeLessThanOrEqual(4000);
    expect(d.long_description).toMatch(/case references only/i);
    expect(d.background_color).toMatch(/^#[0-9a-fA-F]{6}$/);
  });

  it('has an always-online bot user and a Messages tab people can write in (message.im)', () => {
    expect(m.features?.bot_user?.always_online).toBe(true);
    expect(m.features?.bot_user?.display_name.length ?? 0).toBeGreaterThan(0);
    expect(m.features?.app_home?.messages_tab_enabled).toBe(true);
    expect(m.features?.app_home?.messages_tab_read_only_enabled).toBe(false);
  });

  it(`declares ${SLASH_COMMAND} as the only slash command, pointing at ${SLACK_REQUEST_PATH}`, () => {
    const cmds = m.features?.slash_commands ?? [];
    expect(cmds.map((c) => c.command), 'slash commands the bot does not handle').toEqual([SLASH_COMMAND]);
    const cmd = cmds[0];
    expect(cmd?.url).toMatch(/^https:\/\//);
    expect(cmd?.url?.endsWith(SLACK_REQUEST_PATH)).toBe(true);
    expect(cmd?.description.length ?? 0).toBeGreaterThan(0);
    expect(cmd?.description.length ?? 0).toBeLessThanOrEqual(2000);
  });

  it(`lists exactly the catalog's commands in the ${SLASH_COMMAND} usage_hint, within Slack's length limit`, () => {
    const hint = m.features?.slash_commands?.find((c) => c.command === SLASH_COMMAND)?.usage_hint ?? '';
    expect(hint.length, 'usage_hint is empty').toBeGreaterThan(0);
    expect(hint.length, `usage_hint is ${hint.length} characters; Slack allows ${SLACK_USAGE_HINT_MAX}`).toBeLessThanOrEqual(
      SLACK_USAGE_HINT_MAX,
    );
    // Format: "help | whoami | cycle" (names only, separated by "|").
    const names = hint.split('|').map((s) => s.trim());
    expect(missingFrom(catalogNames, names), `catalog commands missing from the Slack usage_hint "${hint}"`).toEqual([]);
    expect(missingFrom(names, catalogNames), `usage_hint entries the bot does not handle ("${hint}")`).toEqual([]);
    expect(duplicates(names)).toEqual([]);
  });

  it(`sends events and interactivity to the same ${SLACK_REQUEST_PATH} URL as the slash command`, () => {
    const urls = [
      m.features?.slash_commands?.[0]?.url,
      m.settings?.event_subscriptions?.request_url,
      m.settings?.interactivity?.request_url,
    ];
    for (const u of urls) {
      expect(u).toMatch(/^https:\/\//);
      expect(u?.endsWith(SLACK_REQUEST_PATH), String(u)).toBe(true);
    }
    expect(new Set(urls).size).toBe(1);
    expect(m.settings?.interactivity?.is_enabled).toBe(true);
  });

  it('uses plain HTTP request URLs: no Socket Mode, no org-wide deploy, no token rotation', () => {
    expect(m.settings?.socket_mode_enabled).toBe(false);
    expect(m.settings?.org_deploy_enabled).toBe(false);
    expect(m.settings?.token_rotation_enabled).toBe(false);
  });

  it('subscribes to exactly the bot events the bot handles, and to no user events', () => {
    const events = m.settings?.event_subscriptions?.bot_events ?? [];
    expect(missingFrom(EXPECTED_BOT_EVENTS, events), 'bot events missing').toEqual([]);
    expect(missingFrom(events, EXPECTED_BOT_EVENTS), 'bot events the bot does not handle').toEqual([]);
    expect(duplicates(events)).toEqual([]);
    expect(m.settings?.event_subscriptions?.user_events ?? []).toEqual([]);
  });

  it('requests exactly the bot scopes it uses, and no user scopes', () => {
    const scopes = m.oauth_config?.scopes?.bot ?? [];
    expect(missingFrom(EXPECTED_BOT_SCOPES, scopes), 'bot scopes missing').toEqual([]);
    expect(missingFrom(scopes, EXPECTED_BOT_SCOPES), 'bot scopes requested but not used').toEqual([]);
    expect(duplicates(scopes)).toEqual([]);
    expect(scopes, 'chat:write is enough: the bot only posts where it has been invited').not.toContain('chat:write.public');
    expect(m.oauth_config?.scopes?.user ?? []).toEqual([]);
  });

  it('has the scope every feature needs', () => {
    const scopes = m.oauth_config?.scopes?.bot ?? [];
    for (const event of m.settings?.event_subscriptions?.bot_events ?? []) {
      const needed = EVENT_SCOPES[event];
      expect(needed, `no scope mapping for bot event ${event}: add it to EVENT_SCOPES`).toBeDefined();
      expect(missingFrom(needed ?? [], scopes), `scopes missing for bot event ${event}`).toEqual([]);
    }
    if ((m.features?.slash_commands ?? []).length > 0) expect(scopes).toContain('commands');
    if (scopes.includes('users:read.email')) expect(scopes, 'users:read.email requires users:read').toContain('users:read');
  });
});
