// Inbound Slack HTTP requests built and signed the way Slack sends them to a Bolt HTTPReceiver
// (slash commands and interactivity form-encoded, the Events API as JSON, all signed with v0 HMAC-SHA256).
import { createHmac } from 'node:crypto';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SlackRequest<P = Record<string, unknown>> {
  /** Raw HTTP body, exactly what is signed and sent. */
  body: string;
  contentType: typeof FORM_CONTENT_TYPE | typeof JSON_CONTENT_TYPE;
  /** The decoded payload, for assertions. */
  payload: P;
}

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  [header: string]: string;
}

/** Slack's v0 signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` keyed with the signing secret. */
export function signSlackRequest(body: string, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  const signature = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${signature}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}

/** A fetch() init for POSTing a built request to the bot (signed, with Slack's content type). */
export function signedRequestInit(request: SlackRequest<unknown>, secret: string, timestampSeconds?: number): RequestInit & { headers: Record<string, string> } {
  return {
    method: 'POST',
    headers: { 'content-type': request.contentType, ...signSlackRequest(request.body, secret, timestampSeconds) },
    body: request.body,
  };
}

/** POSTs a built request to the bot's Slack endpoint (e.g. `http://127.0.0.1:3000/slack/events`), signed. */
export function postSignedSlackRequest(url: string, request: SlackRequest<unknown>, secret: string, timestampSeconds?: number): Promise<Response> {
  return fetch(url, signedRequestInit(request, secret, timestampSeconds));
}

export interface SlackActor {
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
}

export interface SlashCommandInput extends SlackActor {
  command?: string;
  text?: string;
  channelId?: string;
  channelName?: string;
  responseUrl?: string;
  triggerId?: string;
}

const DEFAULTS = {
  userId: 'U0USER0001',
  userName: 'alex.morgan',
  teamId: 'T0TEST001',
  teamDomain: 'testpartnership',
  apiAppId: 'A0TESTAPP',
  channelId: 'C0CHAN0001',
  channelName: 'safeguarding',
  responseUrl: 'https://hooks.slack.com/commands/T0TEST001/1/abc',
  triggerId: '1700000000.1.trigger',
  verificationToken: 'legacy-verification-token',
} as const;

export type SlashCommandPayload = Record<string, string>;

/** A slash command exactly as Slack POSTs it: form-encoded fields. */
export function slashCommandBody(input: SlashCommandInput = {}): SlackRequest<SlashCommandPayload> {
  const payload: SlashCommandPayload = {
    token: DEFAULTS.verificationToken,
    team_id: input.teamId ?? DEFAULTS.teamId,
    team_domain: input.teamDomain ?? DEFAULTS.teamDomain,
    channel_id: input.channelId ?? DEFAULTS.channelId,
    channel_name: input.channelName ?? DEFAULTS.channelName,
    user_id: input.userId ?? DEFAULTS.userId,
    user_name: input.userName ?? DEFAULTS.userName,
    command: input.command ?? '/safeguarding',
    text: input.text ?? '',
    api_app_id: input.apiAppId ?? DEFAULTS.apiAppId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? DEFAULTS.responseUrl,
    trigger_id: input.triggerId ?? DEFAULTS.triggerId,
  };
  return { body: new URLSearchParams(payload).toString(), contentType: FORM_CONTENT_TYPE, payload };
}

export interface BlockAction {
  actionId: string;
  blockId?: string;
  value?: string;
  /** Defaults to `button`. For selects pass e.g. `static_select` and `selectedOption`. */
  type?: string;
  text?: string;
  selectedOption?: { text: { type: 'plain_text'; text: string }; value: string };
}

export interface BlockActionsInput extends SlackActor {
  actions: BlockAction[];
  channelId?: string;
  channelName?: string;
  /** ts of the message holding the button; omit for actions inside a modal (pass `view`). */
  messageTs?: string;
  /** The button sits on an ephemeral message (a slash command's answer): only its response_url can change it. */
  ephemeral?: boolean;
  message?: Record<string, unknown>;
  /** For actions inside a modal/App Home: the view; container becomes `{ type: 'view', view_id }`. */
  view?: Record<string, unknown> & { id: string };
  responseUrl?: string;
  triggerId?: string;
  stateValues?: Record<string, Record<string, unknown>>;
}

/** An interactive `block_actions` request: form-encoded `payload=<json>`. */
export function blockActionsBody(input: BlockActionsInput): SlackRequest {
  const teamId = input.teamId ?? DEFAULTS.teamId;
  const channelId = input.channelId ?? DEFAULTS.channelId;
  const messageTs = input.messageTs ?? '1700000000.000100';
  const actionTs = `${Math.floor(Date.now() / 1000)}.000001`;
  const base = {
    type: 'block_actions',
    user: user(input),
    api_app_id: input.apiAppId ?? DEFAULTS.apiAppId,
    token: DEFAULTS.verificationToken,
    trigger_id: input.triggerId ?? DEFAULTS.triggerId,
    team: { id: teamId, domain: input.teamDomain ?? DEFAULTS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    state: { values: input.stateValues ?? {} },
    actions: input.actions.map((action) => ({
      action_id: action.actionId,
      block_id: action.blockId ?? `block-${action.actionId}`,
      type: action.type ?? 'button',
      action_ts: actionTs,
      ...(action.value !== undefined ? { value: action.value } : {}),
      ...(action.text !== undefined || (action.type ?? 'button') === 'button'
        ? { text: { type: 'plain_text', text: action.text ?? action.actionId, emoji: true } }
        : {}),
      ...(action.selectedOption ? { selected_option: action.selectedOption } : {}),
    })),
  };
  const payload: Record<string, unknown> = input.view
    ? { ...base, container: { type: 'view', view_id: input.view.id }, view: input.view }
    : {
        ...base,
        container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: input.ephemeral ?? false },
        channel: { id: channelId, name: input.channelName ?? DEFAULTS.channelName },
        message: input.message ?? { type: 'message', ts: messageTs, text: 'message', user: 'U0BOT0001', bot_id: 'B0BOT0001', blocks: [] },
        response_url: input.responseUrl ?? DEFAULTS.responseUrl,
      };
  return interactive(payload);
}

export interface ViewSubmissionInput extends SlackActor {
  callbackId: string;
  /** `state.values`: block_id -> action_id -> element value (e.g. `{ type: 'plain_text_input', value: 'x' }`). */
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  viewId?: string;
  externalId?: string;
  blocks?: unknown[];
  triggerId?: string;
  hash?: string;
  notifyOnClose?: boolean;
  /** response_urls, present when the modal has a conversations_select with response_url_enabled. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
}

/** A `view_submission` request: form-encoded `payload=<json>`. */
export function viewSubmissionBody(input: ViewSubmissionInput): SlackRequest {
  const payload = {
    type: 'view_submission',
    ...viewEnvelope(input),
    trigger_id: input.triggerId ?? DEFAULTS.triggerId,
    response_urls: input.responseUrls ?? [],
  };
  return interactive(payload);
}

/** A `view_closed` request (sent only for modals opened with `notify_on_close: true`): the view with what was typed. */
export function viewClosedBody(input: ViewSubmissionInput): SlackRequest {
  return interactive({ type: 'view_closed', ...viewEnvelope({ ...input, notifyOnClose: true }), is_cleared: false });
}

function viewEnvelope(input: ViewSubmissionInput) {
  const teamId = input.teamId ?? DEFAULTS.teamId;
  return {
    team: { id: teamId, domain: input.teamDomain ?? DEFAULTS.teamDomain },
    user: user(input),
    api_app_id: input.apiAppId ?? DEFAULTS.apiAppId,
    token: DEFAULTS.verificationToken,
    view: modalViewPayload(input),
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A modal as Slack includes it in interaction payloads (view_submission, view_closed, block_actions inside it). */
export function modalViewPayload(input: ViewSubmissionInput): Record<string, unknown> & { id: string } {
  const teamId = input.teamId ?? DEFAULTS.teamId;
  const viewId = input.viewId ?? 'V000000001';
  return {
    id: viewId,
    team_id: teamId,
    type: 'modal',
    blocks: input.blocks ?? [],
    private_metadata: input.privateMetadata ?? '',
    callback_id: input.callbackId,
    state: { values: input.values },
    hash: input.hash ?? '1700000000.abcdef',
    title: { type: 'plain_text', text: 'Form', emoji: true },
    clear_on_close: false,
    notify_on_close: input.notifyOnClose ?? false,
    close: null,
    submit: { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: null,
    root_view_id: viewId,
    app_id: input.apiAppId ?? DEFAULTS.apiAppId,
    external_id: input.externalId ?? '',
    app_installed_team_id: teamId,
    bot_id: 'B0BOT0001',
  };
}

type JsonObject = Record<string, any>;

const initialOf = (element: JsonObject): string | undefined => {
  if (element['initial_options']) return element['initial_options'].map((o: JsonObject) => o['value']).join(',');
  return element['initial_option']?.['value'] ?? element['initial_date'] ?? element['initial_value'];
};

/**
 * The `view.state.values` Slack reports for a modal the bot rendered, after a person typed `typed` (field id ->
 * value; several choices comma-joined) over what it showed. Each element type reports its own shape.
 */
export function slackViewStateValues(view: { blocks?: unknown[] }, typed: Record<string, string | undefined> = {}): Record<string, Record<string, unknown>> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of (view.blocks ?? []) as JsonObject[]) {
    if (block['type'] !== 'input') continue;
    const element = block['element'] as JsonObject;
    const shown = Object.hasOwn(typed, block['block_id']) ? typed[block['block_id']] : initialOf(element);
    const option = (v: string) => ({ text: { type: 'plain_text', text: v, emoji: true }, value: v });
    let entry: JsonObject;
    if (element['type'] === 'multi_static_select' || element['type'] === 'checkboxes') entry = { selected_options: shown ? shown.split(',').map(option) : [] };
    else if (element['type'] === 'static_select' || element['type'] === 'radio_buttons') entry = { selected_option: shown ? option(shown) : null };
    else if (element['type'] === 'datepicker') entry = { selected_date: shown ?? null };
    else entry = { value: shown ?? null };
    state[block['block_id']] = { [element['action_id']]: { type: element['type'], ...entry } };
  }
  return state;
}

export interface EventCallbackInput {
  event: Record<string, unknown> & { type: string };
  event_id?: string;
  event_time?: number;
  teamId?: string;
  apiAppId?: string;
  /** The bot's user id, reported in `authorizations`. */
  botUserId?: string;
}

/** An Events API `event_callback` envelope (JSON), e.g. for `app_home_opened` or `message.im`. */
export function eventCallbackBody(input: EventCallbackInput): SlackRequest {
  const teamId = input.teamId ?? DEFAULTS.teamId;
  const eventTime = input.event_time ?? Math.floor(Date.now() / 1000);
  const payload = {
    token: DEFAULTS.verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    api_app_id: input.apiAppId ?? DEFAULTS.apiAppId,
    event: input.event,
    type: 'event_callback',
    event_id: input.event_id ?? `Ev${eventTime}${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    event_time: eventTime,
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: input.botUserId ?? 'U0BOT0001', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
  return { body: JSON.stringify(payload), contentType: JSON_CONTENT_TYPE, payload };
}

/** Slack's `url_verification` handshake (JSON). */
export function urlVerificationBody(challenge = 'challenge-token'): SlackRequest {
  const payload = { token: DEFAULTS.verificationToken, challenge, type: 'url_verification' };
  return { body: JSON.stringify(payload), contentType: JSON_CONTENT_TYPE, payload };
}

function interactive(payload: Record<string, unknown>): SlackRequest {
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: FORM_CONTENT_TYPE, payload };
}

function user(input: SlackActor): Record<string, string> {
  const userName = input.userName ?? DEFAULTS.userName;
  return { id: input.userId ?? DEFAULTS.userId, username: userName, name: userName, team_id: input.teamId ?? DEFAULTS.teamId };
}
