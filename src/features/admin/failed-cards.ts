import { failedAtText, type DeadLetter } from '../../messaging/dead-letters.js';
import type { Message } from '../../messaging/message.js';
import { adminButtons } from './model.js';

const line = (l: DeadLetter) => `${l.kind.charAt(0).toUpperCase()}${l.kind.slice(1)} to ${l.to}`;

/** The `admin failed` list: newest first, each with Retry, and Retry all. Never a message's content. */
export function deadLetterListCard(letters: readonly DeadLetter[], total: number, zone: string): Message {
  if (total === 0) {
    const none = 'Every message has been delivered: nothing is waiting to be retried.';
    return { title: 'Messages that could not be delivered', text: none, sections: [{ kind: 'text', text: none }] };
  }
  const count = total === 1 ? '1 message' : `${total} messages`;
  const hidden = total - letters.length;
  return {
    title: 'Messages that could not be delivered',
    text: `${count} could not be delivered.`,
    sections: [
      { kind: 'text', text: `${count} could not be delivered, newest first. Fix the cause, then retry:` },
      { kind: 'list', items: letters.map((l, i) => ({ title: `#${i + 1} ${line(l)}`, detail: `${failedAtText(l.failedAt, zone)}: ${l.why}.`, tone: 'warning' as const })) },
      ...(hidden > 0 ? [{ kind: 'context' as const, text: `…and ${hidden} more (Retry all retries them too).` }] : []),
      {
        kind: 'actions',
        actions: [
          ...letters.map((l, i) => ({ id: adminButtons.retry, label: `Retry #${i + 1}`, value: l.id })),
          { id: adminButtons.retryAll, label: 'Retry all', value: 'all', style: 'primary' as const },
        ],
      },
      { kind: 'context', text: 'Or type `admin failed retry <number>` or `admin failed retry all`.' },
    ],
  };
}

export function retriedMessage(count: number): Message {
  const text = count === 0
    ? 'Nothing to retry: that message was delivered or retried already. Type `admin failed` to see what is left.'
    : `Retrying ${count === 1 ? '1 message' : `${count} messages`} now. If ${count === 1 ? 'it fails' : 'any fails'} again, you will be told.`;
  return { text, sections: [{ kind: 'text', text }] };
}
