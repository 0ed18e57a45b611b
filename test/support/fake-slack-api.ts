// A local stand-in for Slack's Web API and for Slack's response_url webhooks.
// It speaks Slack's wire format (POST /api/<method>, form-encoded or JSON, HTTP 200 with ok:false
// for API errors, HTTP 429 + Retry-After for rate limits) so tests drive the real @slack/web-api client.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlackFiles, UPLOAD_PATH_PREFIX, type FakeSlackUpload } from './fake-slack-files.js';
import { decodeBody, dmChannelId, hasContent, isRecord, messageKey, readBody } from './slack-wire.js';

export { decodeBody } from './slack-wire.js';

export type { FakeSlackUpload } from './fake-slack-files.js';

export interface RecordedSlackCall {
  /** Web API method (e.g. `chat.postMessage`), `response_url` for posts to a response URL, `upload_url` for file bytes. */
  method: string;
  /** Request path, e.g. `/api/chat.postMessage` or `/response-url/abc`. */
  path: string;
  /** Decoded body: form fields, with JSON-encoded nested fields (blocks, view, ...) parsed back. */
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
  /** Body the fake answered with (parsed JSON, or text for response URLs). */
  response: unknown;
}

/**
 * A programmed failure for the next call to a method.
 * `{ status: 429, retryAfterSeconds }` rate limits like Slack; `{ error }` answers HTTP 200 ok:false;
 * `{ status: 500 }` (or any status) answers that status. `times` repeats the fault (default 1).
 */
export interface SlackFault {
  status?: number;
  retryAfterSeconds?: number;
  error?: string;
  times?: number;
  /** Only for calls about this channel (the `channel` field), so tests running side by side keep their own faults. */
  channel?: string;
}

export interface SlackUserRecord {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  tz?: string;
  profile?: { email?: string; display_name?: string; real_name?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface FakeSlackApiOptions {
  /** Bot token the fake accepts. Default `xoxb-test-token`. */
  token?: string;
  teamId?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  /** Users known to `users.info`, by id. */
  users?: Record<string, SlackUserRecord>;
}

export interface WaitForOptions {
  timeoutMs?: number;
  /** Resolve once this many matching calls exist (counting calls already recorded). Default 1. */
  count?: number;
}

type CallPredicate = (call: RecordedSlackCall) => boolean;
type MethodResult = { status: number; body: Record<string, unknown> };

const RESPONSE_URL_PREFIX = '/response-url/';
const TS_BASE_SECONDS = 1_700_000_000;

export class FakeSlackApi {
  readonly calls: RecordedSlackCall[] = [];
  readonly token: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly botUserId: string;
  readonly botId: string;
  /** Milliseconds every request waits before it is answered (and recorded), so sends are in flight for a while. */
  latencyMs = 0;

  private readonly users = new Map<string, SlackUserRecord>();
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly hungPaths = new Set<string>();
  private readonly messages = new Map<string, Record<string, unknown>>();
  private readonly views = new Map<string, Record<string, unknown>>();
  private readonly waiters = new Set<() => void>();
  private readonly files = new FakeSlackFiles((fileId) => `${this.requireOrigin()}${UPLOAD_PATH_PREFIX}${fileId}`);
  private server: Server | undefined;
  private origin = '';
  private tsCounter = 0;
  private viewCounter = 0;

  constructor(options: FakeSlackApiOptions = {}) {
    this.token = options.token ?? 'xoxb-test-token';
    this.teamId = options.teamId ?? 'T0TEST001';
    this.teamName = options.teamName ?? 'Test Partnership';
    this.botUserId = options.botUserId ?? 'U0BOT0001';
    this.botId = options.botId ?? 'B0BOT0001';
    for (const [id, user] of Object.entries(options.users ?? {})) this.users.set(id, user);
  }

  /** Starts listening on 127.0.0.1 (random port); returns the `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.apiUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `http://127.0.0.1:PORT/api/`: pass as `slackApiUrl` (WebClient) or `clientOptions.slackApiUrl` (Bolt). */
  get apiUrl(): string {
    return `${this.requireOrigin()}/api/`;
  }

  /** A Slack-style response_url served by this fake; posts to it are recorded as method `response_url`. */
  responseUrl(id: string): string {
    return `${this.requireOrigin()}${RESPONSE_URL_PREFIX}${encodeURIComponent(id)}`;
  }

  setUser(user: SlackUserRecord): void {
    this.users.set(user.id, user);
  }

  /**
   * Posts to `responseUrl(id)` are recorded (status 0) and never answered, like a host that hangs; stop() drops them.
   */
  hangResponseUrl(id: string): void {
    this.hungPaths.add(`${RESPONSE_URL_PREFIX}${encodeURIComponent(id)}`);
  }

  /** Queue a fault for the next call(s) to `method` (`response_url` for response URLs). Faults run in order. */
  failNext(method: string, fault: SlackFault): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < (fault.times ?? 1); i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  callsTo(method: string): RecordedSlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Posts received on `responseUrl(id)`, or on any response URL when id is omitted. */
  responseUrlPosts(id?: string): RecordedSlackCall[] {
    return this.callsTo('response_url').filter(
      (call) => id === undefined || call.path === `${RESPONSE_URL_PREFIX}${encodeURIComponent(id)}`,
    );
  }

  /** The current state of a posted message (after any chat.update), if the fake holds it. */
  message(channel: string, ts: string): Record<string, unknown> | undefined {
    return this.messages.get(messageKey(channel, ts));
  }

  /** Resolves with the `count`-th call matching a method name or predicate (already recorded calls count). */
  waitFor(match: string | CallPredicate, options: WaitForOptions = {}): Promise<RecordedSlackCall> {
    const predicate: CallPredicate = typeof match === 'string' ? (call) => call.method === match : match;
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.calls.filter(predicate)[count - 1];
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const seen = this.calls.map((call) => call.method).join(', ') || 'none';
        reject(new Error(`FakeSlackApi.waitFor(${describe(match)}) timed out after ${timeoutMs} ms; calls so far: ${seen}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Files announced with files.getUploadURLExternal, with the bytes that arrived and where they were shared. */
  uploads(): FakeSlackUpload[] {
    return this.files.all();
  }

  /** Files shared into a conversation (files.completeUploadExternal), in upload order. */
  sharedFiles(channel?: string): FakeSlackUpload[] {
    return this.files.all().filter((f) => f.shared && (channel === undefined || f.shared.channel === channel));
  }

  /** Forget calls, faults, messages, views and uploads (users and configuration stay). */
  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
    this.hungPaths.clear();
    this.messages.clear();
    this.views.clear();
    this.files.reset();
  }

  private requireOrigin(): string {
    if (!this.origin) throw new Error('FakeSlackApi is not started');
    return this.origin;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await readBody(req);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const isResponseUrl = path.startsWith(RESPONSE_URL_PREFIX);
    const isUpload = path.startsWith(UPLOAD_PATH_PREFIX);
    const method = isResponseUrl ? 'response_url' : isUpload ? 'upload_url' : path.startsWith('/api/') ? path.slice('/api/'.length) : path;
    // Uploaded bytes are recorded by the file store, not decoded as a form.
    const body = isUpload ? { fileId: path.slice(UPLOAD_PATH_PREFIX.length), length: bytes.length } : decodeBody(bytes.toString('utf8'), req.headers['content-type']);
    const call: RecordedSlackCall = { method, path, body, headers: req.headers, at: Date.now(), status: 0, response: undefined };

    const fault = this.takeFault(method, body);
    if (req.method !== 'POST') {
      this.reply(res, call, 405, 'method_not_allowed', 'text/plain');
    } else if (this.hungPaths.has(path)) {
      this.calls.push(call);
      for (const waiter of [...this.waiters]) waiter();
    } else if (fault) {
      this.replyWithFault(res, call, fault);
    } else if (isResponseUrl) {
      this.reply(res, call, 200, 'ok', 'text/plain');
    } else if (isUpload) {
      const answer = this.files.receiveBytes(String(body.fileId), bytes, req.headers['content-type']);
      this.reply(res, call, answer.status, answer.text, 'text/plain');
    } else {
      const result = this.invoke(method, body, req.headers);
      this.reply(res, call, result.status, result.body, 'application/json; charset=utf-8');
    }
  }

  private takeFault(method: string, body: Record<string, unknown>): SlackFault | undefined {
    const queue = this.faults.get(method);
    const index = queue?.findIndex((f) => f.channel === undefined || f.channel === body.channel) ?? -1;
    return index < 0 ? undefined : queue!.splice(index, 1)[0];
  }

  private replyWithFault(res: ServerResponse, call: RecordedSlackCall, fault: SlackFault): void {
    const status = fault.status ?? 200;
    const headers: Record<string, string> = {};
    if (status === 429) headers['retry-after'] = String(fault.retryAfterSeconds ?? 1);
    if (call.method === 'response_url' || call.method === 'upload_url') {
      this.reply(res, call, status, fault.error ?? (status === 429 ? 'rate_limited' : 'error'), 'text/plain', headers);
    } else if (status === 200 || fault.error !== undefined) {
      this.reply(res, call, status, { ok: false, error: fault.error ?? 'fatal_error' }, 'application/json; charset=utf-8', headers);
    } else if (status === 429) {
      this.reply(res, call, status, { ok: false, error: 'ratelimited' }, 'application/json; charset=utf-8', headers);
    } else {
      this.reply(res, call, status, 'Internal Server Error', 'text/plain', headers);
    }
  }

  private reply(
    res: ServerResponse,
    call: RecordedSlackCall,
    status: number,
    body: unknown,
    contentType: string,
    headers: Record<string, string> = {},
  ): void {
    call.status = status;
    call.response = body;
    this.calls.push(call);
    for (const waiter of [...this.waiters]) waiter();
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': contentType, ...headers }).end(text);
  }

  private invoke(method: string, body: Record<string, unknown>, headers: IncomingHttpHeaders): MethodResult {
    const auth = this.authenticate(body, headers);
    if (auth) return ok200({ ok: false, error: auth });
    switch (method) {
      case 'auth.test':
        return ok200({
          ok: true,
          url: `https://${this.teamName.toLowerCase().replace(/\W+/g, '')}.slack.com/`,
          team: this.teamName,
          user: 'partnership-bot',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        });
      case 'chat.postMessage':
        return this.postMessage(body);
      case 'chat.update':
        return this.updateMessage(body);
      case 'chat.postEphemeral':
        return this.postEphemeral(body);
      case 'views.open':
      case 'views.push':
        return this.openView(body);
      case 'views.update':
        return this.updateView(body);
      case 'views.publish':
        return this.publishView(body);
      case 'conversations.open':
        return this.openConversation(body);
      case 'users.info':
        return this.userInfo(body);
      case 'files.getUploadURLExternal':
        return this.files.grantUploadUrl(body);
      case 'files.completeUploadExternal':
        return this.completeUpload(body);
      default:
        return ok200({ ok: false, error: 'unknown_method' });
    }
  }

  private authenticate(body: Record<string, unknown>, headers: IncomingHttpHeaders): string | undefined {
    const header = headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : typeof body.token === 'string' ? body.token : undefined;
    if (!token) return 'not_authed';
    return token === this.token ? undefined : 'invalid_auth';
  }

  private postMessage(body: Record<string, unknown>): MethodResult {
    const channel = this.resolveChannel(body.channel);
    if (!channel) return ok200({ ok: false, error: 'channel_not_found' });
    if (!hasContent(body)) return ok200({ ok: false, error: 'no_text' });
    const ts = this.nextTs();
    const message = this.messageFrom(body, ts);
    this.messages.set(messageKey(channel, ts), message);
    return ok200({ ok: true, channel, ts, message });
  }

  private updateMessage(body: Record<string, unknown>): MethodResult {
    const channel = this.resolveChannel(body.channel);
    if (!channel) return ok200({ ok: false, error: 'channel_not_found' });
    const ts = typeof body.ts === 'string' ? body.ts : '';
    const existing = this.messages.get(messageKey(channel, ts));
    if (!existing) return ok200({ ok: false, error: 'message_not_found' });
    const message: Record<string, unknown> = { ...this.messageFrom(body, ts), edited: { user: this.botUserId, ts: this.nextTs() } };
    this.messages.set(messageKey(channel, ts), message);
    return ok200({ ok: true, channel, ts, text: message.text, message });
  }

  private postEphemeral(body: Record<string, unknown>): MethodResult {
    const channel = this.resolveChannel(body.channel);
    if (!channel) return ok200({ ok: false, error: 'channel_not_found' });
    if (typeof body.user !== 'string' || body.user === '') return ok200({ ok: false, error: 'user_not_found' });
    if (!hasContent(body)) return ok200({ ok: false, error: 'no_text' });
    return ok200({ ok: true, message_ts: this.nextTs() });
  }

  private openView(body: Record<string, unknown>): MethodResult {
    if (typeof body.trigger_id !== 'string' || body.trigger_id === '') return ok200({ ok: false, error: 'invalid_arguments' });
    if (!isRecord(body.view)) return ok200({ ok: false, error: 'invalid_arguments' });
    this.viewCounter += 1;
    const id = `V${String(this.viewCounter).padStart(9, '0')}`;
    return ok200({ ok: true, view: this.storeView(id, body.view) });
  }

  private updateView(body: Record<string, unknown>): MethodResult {
    if (!isRecord(body.view)) return ok200({ ok: false, error: 'invalid_arguments' });
    const id = typeof body.view_id === 'string' ? body.view_id : this.viewIdByExternalId(body.external_id);
    if (!id || !this.views.has(id)) return ok200({ ok: false, error: 'not_found' });
    const previous = this.views.get(id);
    if (typeof body.hash === 'string' && previous && previous.hash !== body.hash) return ok200({ ok: false, error: 'hash_conflict' });
    return ok200({ ok: true, view: this.storeView(id, body.view) });
  }

  /** App Home: one home view per user, replaced on every publish. */
  private publishView(body: Record<string, unknown>): MethodResult {
    if (typeof body.user_id !== 'string' || !isRecord(body.view)) return ok200({ ok: false, error: 'invalid_arguments' });
    if (body.view.type !== 'home') return ok200({ ok: false, error: 'invalid_arguments' });
    return ok200({ ok: true, view: this.storeView(`VHOME${body.user_id}`, body.view) });
  }

  private storeView(id: string, view: Record<string, unknown>): Record<string, unknown> {
    const stored = {
      ...view,
      id,
      team_id: this.teamId,
      state: { values: {} },
      hash: `${Date.now()}.${id}${this.nextTs()}`,
      root_view_id: id,
      app_id: 'A0TESTAPP',
      bot_id: this.botId,
    };
    this.views.set(id, stored);
    return stored;
  }

  private viewIdByExternalId(externalId: unknown): string | undefined {
    if (typeof externalId !== 'string') return undefined;
    for (const [id, view] of this.views) if (view.external_id === externalId) return id;
    return undefined;
  }

  /** Shares the files and, like Slack, shows them as a message in the conversation. */
  private completeUpload(body: Record<string, unknown>): MethodResult {
    const result = this.files.complete(body);
    if (result.channel && result.files) {
      const ts = this.nextTs();
      const files = result.files.map((f) => ({ id: f.fileId, name: f.filename, title: f.shared?.title }));
      const text = typeof body.initial_comment === 'string' ? body.initial_comment : '';
      this.messages.set(messageKey(result.channel, ts), { type: 'message', subtype: 'file_share', text, user: this.botUserId, ts, files });
    }
    return { status: result.status, body: result.body };
  }

  private openConversation(body: Record<string, unknown>): MethodResult {
    const users = typeof body.users === 'string' ? body.users.split(',').map((u) => u.trim()).filter(Boolean) : [];
    if (users.length === 0) return ok200({ ok: false, error: 'users_list_not_supplied' });
    return ok200({ ok: true, channel: { id: dmChannelId(users) } });
  }

  private userInfo(body: Record<string, unknown>): MethodResult {
    const user = typeof body.user === 'string' ? this.users.get(body.user) : undefined;
    if (!user) return ok200({ ok: false, error: 'user_not_found' });
    return ok200({ ok: true, user: { team_id: this.teamId, deleted: false, is_bot: false, ...user } });
  }

  /** Slack accepts a channel id, or a user id (posting to the user's DM, answered with the D channel id). */
  private resolveChannel(channel: unknown): string | undefined {
    if (typeof channel !== 'string' || channel === '') return undefined;
    if (/^[UW]/.test(channel)) return dmChannelId([channel]);
    return channel;
  }

  private messageFrom(body: Record<string, unknown>, ts: string): Record<string, unknown> {
    const message: Record<string, unknown> = {
      type: 'message',
      text: typeof body.text === 'string' ? body.text : '',
      user: this.botUserId,
      bot_id: this.botId,
      team: this.teamId,
      ts,
    };
    if (body.blocks !== undefined) message.blocks = body.blocks;
    if (body.attachments !== undefined) message.attachments = body.attachments;
    if (body.metadata !== undefined) message.metadata = body.metadata;
    if (typeof body.thread_ts === 'string') message.thread_ts = body.thread_ts;
    return message;
  }

  /** Unique, increasing Slack-style timestamps: 1700000000.000100, 1700000000.000200, ... */
  private nextTs(): string {
    this.tsCounter += 100;
    const seconds = TS_BASE_SECONDS + Math.floor(this.tsCounter / 1_000_000);
    return `${seconds}.${String(this.tsCounter % 1_000_000).padStart(6, '0')}`;
  }
}

function ok200(body: Record<string, unknown>): MethodResult {
  return { status: 200, body };
}

function describe(match: string | CallPredicate): string {
  return typeof match === 'string' ? `'${match}'` : 'predicate';
}
