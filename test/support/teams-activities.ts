// Inbound Bot Framework activities shaped the way Microsoft Teams POSTs them to /api/messages
// (JSON on the wire: timestamps are ISO strings; ids use Teams' prefixes: 29: users, 28: bots,
// a: personal chats, 19:...@thread.tacv2 channels, 19:...@thread.v2 group chats).
import { TurnContext, type Activity, type ConversationReference, type Request as BotRequest, type Response as BotResponse } from 'botbuilder';

export type TeamsConversationType = 'personal' | 'channel' | 'groupChat';

export interface TeamsAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
}

/** The JSON Teams sends. Structurally a botbuilder `Activity` once parsed by the adapter. */
export interface TeamsInboundActivity {
  type: string;
  id: string;
  timestamp: string;
  localTimestamp: string;
  localTimezone: string;
  serviceUrl: string;
  channelId: 'msteams';
  from: TeamsAccount;
  conversation: { id: string; conversationType: TeamsConversationType; tenantId: string; isGroup?: boolean; name?: string };
  recipient: TeamsAccount;
  locale: string;
  channelData: Record<string, unknown>;
  text?: string;
  textFormat?: string;
  entities?: Record<string, unknown>[];
  attachments?: Record<string, unknown>[];
  replyToId?: string;
  name?: string;
  value?: unknown;
  action?: string;
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
  [key: string]: unknown;
}

export interface TeamsContextInput {
  serviceUrl: string;
  conversationId?: string;
  conversationType?: TeamsConversationType;
  tenantId?: string;
  /** Teams user id (`29:...`). */
  fromId?: string;
  fromName?: string;
  fromAadObjectId?: string;
  /** The bot's id as Teams addresses it (`28:<MicrosoftAppId>`). */
  botId?: string;
  botName?: string;
  /** For channel conversations: the team's id (the General channel's thread id) and name. */
  teamId?: string;
  teamName?: string;
}

export interface TeamsMessageInput extends TeamsContextInput {
  text: string;
  /** Prefix the text with an `<at>` mention of the bot and add the mention entity (Teams does this in channels). */
  mentionBot?: boolean;
  id?: string;
  replyToId?: string;
  value?: unknown;
}

export const TEAMS_DEFAULTS = {
  tenantId: '00000000-0000-4000-8000-00000000aaaa',
  fromId: '29:1user-alex-morgan',
  fromName: 'Alex Morgan',
  fromAadObjectId: '00000000-0000-4000-8000-000000000001',
  botId: '28:00000000-0000-4000-8000-00000000b07',
  botName: 'Partnership Bot',
  personalConversationId: 'a:1personal-chat-with-alex',
  channelConversationId: '19:general-channel@thread.tacv2',
  groupChatConversationId: '19:group-chat@thread.v2',
  teamId: '19:general-channel@thread.tacv2',
  teamName: 'Safeguarding Partnership',
} as const;

let activityCounter = 0;

function nextActivityId(): string {
  activityCounter += 1;
  return `${Date.now()}${String(activityCounter).padStart(3, '0')}`;
}

/** A user's message to the bot (1:1, channel or group chat). */
export function teamsMessage(input: TeamsMessageInput): TeamsInboundActivity {
  const base = envelope('message', input);
  const mention = `<at>${input.botName ?? TEAMS_DEFAULTS.botName}</at>`;
  const text = input.mentionBot ? `${mention} ${input.text}` : input.text;
  const entities: Record<string, unknown>[] = [
    { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
  ];
  if (input.mentionBot) {
    entities.unshift({ type: 'mention', text: mention, mentioned: { id: base.recipient.id, name: base.recipient.name } });
  }
  return {
    ...base,
    id: input.id ?? base.id,
    text,
    textFormat: 'plain',
    entities,
    attachments: [{ contentType: 'text/html', content: `<p>${text}</p>` }],
    ...(input.replyToId !== undefined ? { replyToId: input.replyToId } : {}),
    ...(input.value !== undefined ? { value: input.value } : {}),
  };
}

export interface TeamsInstallInput extends TeamsContextInput {
  /** Members added beside the bot (Teams lists the bot itself on install). */
  otherMembersAdded?: TeamsAccount[];
}

/** `conversationUpdate` with the bot in `membersAdded` (Teams sends it when the app is added). */
export function teamsConversationUpdate(input: TeamsInstallInput): TeamsInboundActivity {
  const base = envelope('conversationUpdate', input);
  const eventChannelData = base.conversation.conversationType === 'channel' ? { eventType: 'teamMemberAdded' } : {};
  return {
    ...base,
    membersAdded: [{ id: base.recipient.id }, ...(input.otherMembersAdded ?? [])],
    channelData: { ...base.channelData, ...eventChannelData },
  };
}

/** `installationUpdate` with action `add` (or `remove`). */
export function teamsInstallationUpdate(input: TeamsContextInput, action: 'add' | 'remove' = 'add'): TeamsInboundActivity {
  const base = envelope('installationUpdate', input);
  return { ...base, action, channelData: { ...base.channelData, source: { name: 'message' } } };
}

/** What Teams sends when the app is installed: an installationUpdate (add) and a conversationUpdate adding the bot. */
export function teamsInstallUpdate(input: TeamsInstallInput): [TeamsInboundActivity, TeamsInboundActivity] {
  return [teamsInstallationUpdate(input, 'add'), teamsConversationUpdate(input)];
}

export interface TeamsAdaptiveCardInvokeInput extends TeamsContextInput {
  verb: string;
  data?: Record<string, unknown>;
  /** Id of the bot's message holding the card. */
  replyToId?: string;
}

/** The invoke Teams sends for an Adaptive Card `Action.Execute` (Universal Actions). Answer it in the HTTP response. */
export function teamsAdaptiveCardInvoke(input: TeamsAdaptiveCardInvokeInput): TeamsInboundActivity {
  const base = envelope('invoke', input);
  return {
    ...base,
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: input.verb, data: input.data ?? {} }, trigger: 'manual' },
    ...(input.replyToId !== undefined ? { replyToId: input.replyToId } : {}),
    channelData: {
      ...base.channelData,
      source: { name: 'message' },
      ...(input.replyToId !== undefined ? { legacy: { replyToId: input.replyToId } } : {}),
    },
  };
}

type CardJson = Record<string, any>;

/** Every object in a card's JSON, depth first (each element, input, action and container). */
export function allNodes(node: unknown, out: CardJson[] = []): CardJson[] {
  if (Array.isArray(node)) node.forEach((n) => allNodes(n, out));
  else if (node && typeof node === 'object') {
    out.push(node as CardJson);
    Object.values(node).forEach((v) => allNodes(v, out));
  }
  return out;
}

/**
 * What Teams sends when a person types `typed` (input id -> value) into a card and presses the Action.Execute whose
 * data carries `intent` (no intent: the main submit button): the verb, and the action's data with every input that
 * holds a value merged in (Teams leaves empty inputs out, and sends none for `associatedInputs: "none"`).
 * Undefined when the card has no such button.
 */
export function teamsCardActionData(card: unknown, options: { intent?: string; typed?: Record<string, string | undefined> } = {}): { verb: string; data: Record<string, unknown> } | undefined {
  const intent = options.intent ?? 'submit';
  const typed = options.typed ?? {};
  const action = allNodes(card).find((n) => n['type'] === 'Action.Execute' && (n['data']?.['intent'] ?? 'submit') === intent);
  if (!action) return undefined;
  const data: Record<string, unknown> = { ...action['data'] };
  if (action['associatedInputs'] !== 'none') {
    for (const input of allNodes(card).filter((n) => typeof n['type'] === 'string' && n['type'].startsWith('Input.'))) {
      const value = Object.hasOwn(typed, input['id']) ? typed[input['id']] : input['value'];
      if (value !== undefined && value !== '') data[input['id']] = String(value);
    }
  }
  return { verb: action['verb'], data };
}

function envelope(type: string, input: TeamsContextInput): TeamsInboundActivity {
  const conversationType = input.conversationType ?? 'personal';
  const tenantId = input.tenantId ?? TEAMS_DEFAULTS.tenantId;
  const conversationId = input.conversationId ?? defaultConversationId(conversationType);
  const now = new Date();
  const channelData: Record<string, unknown> = { tenant: { id: tenantId } };
  if (conversationType === 'channel') {
    const teamId = input.teamId ?? TEAMS_DEFAULTS.teamId;
    const channelId = conversationId.split(';')[0] ?? conversationId;
    channelData.teamsTeamId = teamId;
    channelData.teamsChannelId = channelId;
    channelData.team = { id: teamId, name: input.teamName ?? TEAMS_DEFAULTS.teamName };
    channelData.channel = { id: channelId };
  }
  return {
    type,
    id: nextActivityId(),
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    localTimezone: 'Europe/London',
    serviceUrl: input.serviceUrl,
    channelId: 'msteams',
    from: {
      id: input.fromId ?? TEAMS_DEFAULTS.fromId,
      name: input.fromName ?? TEAMS_DEFAULTS.fromName,
      aadObjectId: input.fromAadObjectId ?? TEAMS_DEFAULTS.fromAadObjectId,
    },
    conversation: {
      id: conversationId,
      conversationType,
      tenantId,
      ...(conversationType === 'personal' ? {} : { isGroup: true }),
    },
    recipient: { id: input.botId ?? TEAMS_DEFAULTS.botId, name: input.botName ?? TEAMS_DEFAULTS.botName },
    locale: 'en-GB',
    channelData,
  };
}

function defaultConversationId(type: TeamsConversationType): string {
  if (type === 'channel') return TEAMS_DEFAULTS.channelConversationId;
  if (type === 'groupChat') return TEAMS_DEFAULTS.groupChatConversationId;
  return TEAMS_DEFAULTS.personalConversationId;
}

export interface CapturedAdapterResponse {
  status: number;
  body: unknown;
  /** Resolves when the adapter calls `res.end()`. */
  ended: Promise<void>;
}

/**
 * The smallest express-like req/res pair `CloudAdapter.process(req, res, logic)` accepts, for driving the
 * adapter without an HTTP server. The activity goes through JSON like on the wire. `captured` holds the
 * status and body the adapter answered (e.g. an invoke response).
 */
export function adapterExchange(activity: object, headers: Record<string, string> = {}): {
  req: BotRequest;
  res: BotResponse;
  captured: CapturedAdapterResponse;
} {
  let finish: () => void = () => undefined;
  const captured: CapturedAdapterResponse = { status: 0, body: undefined, ended: new Promise((resolve) => (finish = resolve)) };
  const req: BotRequest = { method: 'POST', headers, body: JSON.parse(JSON.stringify(activity)) as Record<string, unknown> };
  const res: BotResponse = {
    socket: null,
    status(code: number) {
      captured.status = code;
      return res;
    },
    header() {
      return res;
    },
    send(body?: unknown) {
      captured.body = body;
      return res;
    },
    end() {
      finish();
      return res;
    },
  };
  return { req, res, captured };
}

/** The ConversationReference botbuilder would store for this inbound activity (what proactive sends start from). */
export function conversationReferenceOf(activity: TeamsInboundActivity): ConversationReference {
  return TurnContext.getConversationReference(activity as unknown as Partial<Activity>) as ConversationReference;
}
