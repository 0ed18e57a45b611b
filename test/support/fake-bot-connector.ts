// A local stand-in for the Bot Framework Connector REST API v3 (the `serviceUrl` Teams gives the bot).
// botbuilder's CloudAdapter/ConnectorClient send replies and proactive messages here when an activity's
// serviceUrl (or a stored ConversationReference's serviceUrl) points at this server.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Names follow botframework-connector's `ConnectorClient.conversations` methods. */
export type ConnectorOperation =
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'createConversation'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'unknown';

export interface RecordedConnectorRequest {
  operation: ConnectorOperation;
  httpMethod: string;
  /** Path as received (URL-encoded), e.g. `/v3/conversations/19%3Aabc%40thread.tacv2/activities`. */
  path: string;
  /** Decoded conversation id, e.g. `19:abc@thread.tacv2;messageid=1`. */
  conversationId?: string;
  /** Decoded activity id from the path (reply, update, delete). */
  activityId?: string;
  memberId?: string;
  /** Parsed JSON body: an Activity, or ConversationParameters for createConversation. */
  body: Record<string, unknown> | undefined;
  headers: IncomingHttpHeaders;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
  /** JSON the fake answered with. */
  response: unknown;
}

/** Convenience view of a recorded request's body as an activity. */
export interface SentActivity {
  type?: string;
  id?: string;
  text?: string;
  replyToId?: string;
  attachments?: { contentType: string; content?: unknown }[];
  conversation?: { id: string };
  [key: string]: unknown;
}

/**
 * A programmed failure. `{ status: 429, retryAfterSeconds }` throttles like the Connector service;
 * 403 / 404 carry Teams-style error codes unless `code` is given. `times` repeats the fault (default 1).
 * Note: botbuilder's HTTP pipeline itself retries 429/503 (honouring Retry-After) and 5xx up to 3 times,
 * so a single 429 is absorbed by the client; use `times: 4` to make the caller see it.
 */
export interface ConnectorFault {
  status: number;
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
  times?: number;
  /** Only for requests about this conversation, so tests running side by side keep their own faults. */
  conversationId?: string;
}

export interface ConnectorMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
  [key: string]: unknown;
}

export interface ConnectorWaitForOptions {
  timeoutMs?: number;
  /** Resolve once this many matching requests exist (counting those already recorded). Default 1. */
  count?: number;
}

type RequestPredicate = (request: RecordedConnectorRequest) => boolean;
type Route = { operation: ConnectorOperation; conversationId?: string; activityId?: string; memberId?: string };
type Answer = { status: number; body?: unknown };

/**
 * Teams refuses a bot message over about 100 KB, counted as UTF-16 and leaving out base64 images, with
 * 413 MessageSizeTooBig (Microsoft's "Format your bot messages").
 */
export const TEAMS_MESSAGE_SIZE_LIMIT_BYTES = 100 * 1024;
const BASE64_IMAGE = /data:image\/[a-z+]+;base64,[A-Za-z0-9+/=]*/g;

const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'BotNotInConversationRoster',
  404: 'ConversationNotFound',
  412: 'PreconditionFailed',
  429: 'Throttled',
  500: 'ServiceError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

export class FakeBotConnector {
  readonly requests: RecordedConnectorRequest[] = [];

  private readonly faults = new Map<ConnectorOperation | '*', ConnectorFault[]>();
  private readonly hungConversations = new Set<string>();
  private imagesCount = false;
  private readonly activities = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly members = new Map<string, ConnectorMember[]>();
  private readonly waiters = new Set<() => void>();
  private server: Server | undefined;
  private origin = '';
  private idCounter = 0;
  private conversationCounter = 0;

  /** Starts on 127.0.0.1 (random port); returns the serviceUrl, `http://127.0.0.1:PORT/` (paths under any prefix also work). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ServiceError', message: String(error) } }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.serviceUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The serviceUrl to put on inbound activities and conversation references. */
  get serviceUrl(): string {
    if (!this.origin) throw new Error('FakeBotConnector is not started');
    return `${this.origin}/`;
  }

  /** Requests about this conversation are recorded (status 0) and never answered, like a host that hangs. */
  hangConversation(conversationId: string): void {
    this.hungConversations.add(conversationId);
  }

  /** Count base64 pictures toward the 100 KB limit too, as the Microsoft 365 Agents Playground does (Teams does not). */
  countInlineImages(on = true): void {
    this.imagesCount = on;
  }

  /** Queue a fault for the next request(s) of an operation, or of any operation with `'*'`. Faults run in order. */
  failNext(operation: ConnectorOperation | '*', fault: ConnectorFault): void {
    const queue = this.faults.get(operation) ?? [];
    for (let i = 0; i < (fault.times ?? 1); i += 1) queue.push(fault);
    this.faults.set(operation, queue);
  }

  /** Members returned by GET /v3/conversations/:id/members (and /members/:memberId). */
  setMembers(conversationId: string, members: ConnectorMember[]): void {
    this.members.set(conversationId, members);
  }

  requestsFor(operation: ConnectorOperation): RecordedConnectorRequest[] {
    return this.requests.filter((request) => request.operation === operation);
  }

  /** Activities the bot sent (send, reply) into a conversation, or into any conversation, that succeeded. */
  sentActivities(conversationId?: string): SentActivity[] {
    return this.requests
      .filter((r) => (r.operation === 'sendToConversation' || r.operation === 'replyToActivity') && r.status < 300)
      .filter((r) => conversationId === undefined || r.conversationId === conversationId)
      .map((r) => ({ ...(r.body as SentActivity), id: responseId(r.response) }));
  }

  /** Current state of an activity the bot sent (after updates), or undefined if unknown or deleted. */
  activity(conversationId: string, activityId: string): Record<string, unknown> | undefined {
    return this.activities.get(conversationId)?.get(activityId);
  }

  /** Resolves with the `count`-th request matching an operation name or predicate (already recorded requests count). */
  waitFor(match: ConnectorOperation | RequestPredicate, options: ConnectorWaitForOptions = {}): Promise<RecordedConnectorRequest> {
    const predicate: RequestPredicate = typeof match === 'string' ? (request) => request.operation === match : match;
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.requests.filter(predicate)[count - 1];
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const seen = this.requests.map((r) => `${r.httpMethod} ${r.path}`).join(', ') || 'none';
        const name = typeof match === 'string' ? `'${match}'` : 'predicate';
        reject(new Error(`FakeBotConnector.waitFor(${name}) timed out after ${timeoutMs} ms; requests so far: ${seen}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Forget requests, faults, activities and members. */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    this.hungConversations.clear();
    this.activities.clear();
    this.members.clear();
    this.imagesCount = false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = req.url?.split('?')[0] ?? '/';
    const httpMethod = req.method ?? 'GET';
    const route = routeOf(httpMethod, path);
    const body = parseJson(raw);
    const request: RecordedConnectorRequest = { ...route, httpMethod, path, body, headers: req.headers, at: Date.now(), status: 0, response: undefined };

    if (route.conversationId && this.hungConversations.has(route.conversationId)) {
      this.requests.push(request);
      for (const waiter of [...this.waiters]) waiter();
      return;
    }
    const fault = this.takeFault(route.operation, route.conversationId) ?? this.takeFault('*', route.conversationId);
    const answer = fault ? faultAnswer(fault) : tooBig(route, raw, this.imagesCount) ?? this.answer(route, body);
    request.status = answer.status;
    request.response = answer.body;
    this.requests.push(request);
    for (const waiter of [...this.waiters]) waiter();

    const headers: Record<string, string> = {};
    if (fault?.status === 429 || fault?.status === 503) headers['retry-after'] = String(fault.retryAfterSeconds ?? 1);
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers).end();
    } else {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(answer.body));
    }
  }

  private takeFault(operation: ConnectorOperation | '*', conversationId: string | undefined): ConnectorFault | undefined {
    const queue = this.faults.get(operation);
    const index = queue?.findIndex((f) => f.conversationId === undefined || f.conversationId === conversationId) ?? -1;
    return index < 0 ? undefined : queue!.splice(index, 1)[0];
  }

  private answer(route: Route, body: Record<string, unknown> | undefined): Answer {
    const { conversationId = '', activityId = '' } = route;
    switch (route.operation) {
      case 'sendToConversation':
      case 'replyToActivity': {
        if (!body || typeof body.type !== 'string') return errorAnswer(400, 'BadArgument', 'Activity type is required');
        const id = this.nextActivityId();
        this.conversation(conversationId).set(id, { ...body, id });
        return { status: 201, body: { id } };
      }
      case 'updateActivity': {
        if (!body) return errorAnswer(400, 'BadArgument', 'Activity is required');
        const activities = this.conversation(conversationId);
        if (!activities.has(activityId)) return errorAnswer(404, 'ActivityNotFoundInConversation', 'Unknown activity');
        activities.set(activityId, { ...body, id: activityId });
        return { status: 200, body: { id: activityId } };
      }
      case 'deleteActivity': {
        const deleted = this.conversation(conversationId).delete(activityId);
        return deleted ? { status: 200 } : errorAnswer(404, 'ActivityNotFoundInConversation', 'Unknown activity');
      }
      case 'createConversation': {
        this.conversationCounter += 1;
        const id = `a:fake-conversation-${this.conversationCounter}`;
        const initial = body?.activity;
        if (initial && typeof initial === 'object') {
          const activityIdOfInitial = this.nextActivityId();
          this.conversation(id).set(activityIdOfInitial, { ...(initial as Record<string, unknown>), id: activityIdOfInitial });
          return { status: 201, body: { id, activityId: activityIdOfInitial, serviceUrl: this.serviceUrl } };
        }
        return { status: 201, body: { id, serviceUrl: this.serviceUrl } };
      }
      case 'getConversationMembers':
        return { status: 200, body: this.members.get(conversationId) ?? [] };
      case 'getConversationMember': {
        const member = this.members.get(conversationId)?.find((m) => m.id === route.memberId || m.aadObjectId === route.memberId);
        return member ? { status: 200, body: member } : errorAnswer(404, 'MemberNotFoundInConversation', 'The member was not found');
      }
      default:
        return errorAnswer(404, 'NotFound', 'Unknown Connector API path');
    }
  }

  private conversation(conversationId: string): Map<string, Record<string, unknown>> {
    let activities = this.activities.get(conversationId);
    if (!activities) {
      activities = new Map();
      this.activities.set(conversationId, activities);
    }
    return activities;
  }

  private nextActivityId(): string {
    this.idCounter += 1;
    return String(1_700_000_000_000 + this.idCounter);
  }
}

/** Maps a request to a Connector operation; accepts any serviceUrl path prefix (e.g. `/uk/`) before `/v3/`. */
function routeOf(httpMethod: string, rawPath: string): Route {
  const start = rawPath.indexOf('/v3/');
  if (start < 0) return { operation: 'unknown' };
  const segments = rawPath.slice(start + 1).split('/').filter(Boolean).map(decodeURIComponent);
  const [version, collection, conversationId, sub, subId, ...rest] = segments;
  if (version !== 'v3' || collection !== 'conversations') return { operation: 'unknown' };
  if (conversationId === undefined) return { operation: httpMethod === 'POST' ? 'createConversation' : 'unknown' };
  if (rest.length > 0) return { operation: 'unknown', conversationId };
  if (sub === 'activities' && subId === undefined && httpMethod === 'POST') return { operation: 'sendToConversation', conversationId };
  if (sub === 'activities' && subId !== undefined) {
    const byMethod: Record<string, ConnectorOperation> = { POST: 'replyToActivity', PUT: 'updateActivity', DELETE: 'deleteActivity' };
    return { operation: byMethod[httpMethod] ?? 'unknown', conversationId, activityId: subId };
  }
  if (sub === 'members' && httpMethod === 'GET') {
    return subId === undefined
      ? { operation: 'getConversationMembers', conversationId }
      : { operation: 'getConversationMember', conversationId, memberId: subId };
  }
  return { operation: 'unknown', conversationId };
}

function tooBig(route: Route, raw: string, imagesCount: boolean): Answer | undefined {
  if (!['sendToConversation', 'replyToActivity', 'updateActivity'].includes(route.operation)) return undefined;
  const counted = (imagesCount ? raw : raw.replace(BASE64_IMAGE, '')).length * 2;
  return counted > TEAMS_MESSAGE_SIZE_LIMIT_BYTES ? errorAnswer(413, 'MessageSizeTooBig', 'Message size too large.') : undefined;
}

function faultAnswer(fault: ConnectorFault): Answer {
  const code = fault.code ?? DEFAULT_ERROR_CODES[fault.status] ?? 'ServiceError';
  return errorAnswer(fault.status, code, fault.message ?? `Fake connector fault ${fault.status}`);
}

function errorAnswer(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message } } };
}

function responseId(response: unknown): string | undefined {
  if (typeof response === 'object' && response !== null && 'id' in response && typeof response.id === 'string') return response.id;
  return undefined;
}

function parseJson(raw: string): Record<string, unknown> | undefined {
  if (raw === '') return undefined;
  const parsed: unknown = JSON.parse(raw);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
