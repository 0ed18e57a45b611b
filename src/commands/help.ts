import type { Message } from '../messaging/message.js';
import type { MemberProfile } from '../directory/identity.js';
import type { CommandSpec } from './catalog.js';
import { closestMatch } from '../core/text.js';
import { shortQuote } from './short-quote.js';

function visibleTo(spec: CommandSpec, profile?: MemberProfile): boolean {
  if (!spec.audience) return true;
  return profile?.roles.some((r) => spec.audience!.includes(r.role)) ?? false;
}

/** `available`: the commands that exist here (demo-only ones only when the demo registered them). */
export function helpMessage(available: readonly CommandSpec[], profile?: MemberProfile): Message {
  const commands = available.filter((c) => visibleTo(c, profile));
  return {
    title: 'Partnership Bot: what I can do',
    text: `Commands: ${commands.map((c) => c.name).join(', ')}`,
    sections: [
      {
        kind: 'text',
        text: 'Type a command after `/safeguarding` in Slack, or send it to me in Teams (in a channel, @mention me first).',
      },
      { kind: 'list', items: commands.map((c) => ({ title: c.usage, detail: c.summary })) },
      { kind: 'context', text: 'Case references only in chat: never names, dates of birth, addresses or case narrative.' },
    ],
  };
}

export function unknownCommandMessage(word: string, available: readonly CommandSpec[]): Message {
  const names = available.map((c) => c.name);
  const suggestion = closestMatch(word, names);
  const lead = suggestion ? `I don't know "${shortQuote(word)}". Did you mean \`${suggestion}\`?` : `I don't know "${shortQuote(word)}".`;
  return {
    title: 'Not a command I know',
    text: `${lead} Type help to see what I can do.`,
    sections: [
      { kind: 'text', text: lead },
      { kind: 'context', text: `Commands: ${names.join(', ')}. Type \`help\` for details.` },
    ],
  };
}
