import type { Message } from '../../messaging/message.js';
import type { TeamsScope } from './conversation-refs.js';

export function welcomeMessage(scope: TeamsScope): Message {
  const how = scope === 'personal' ? 'Type `help` here' : '@mention me with `help`';
  return {
    title: 'Hello from Partnership Bot',
    text: `Partnership Bot is here. ${how} to see what I can do.`,
    sections: [
      { kind: 'text', text: `I remind partners of quality-assurance deadlines and keep the partnership's work moving. ${how} to see what I can do.` },
      { kind: 'context', text: 'Case references only in chat: never names, dates of birth, addresses or case narrative.' },
    ],
  };
}
