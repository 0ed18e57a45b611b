import type { HomeView } from '@slack/types';
import type { Message } from '../../messaging/message.js';
import { renderSlackMessage } from './render-message.js';

/** The App Home tab: what is waiting for you (the same content as `tasks`), and how to do more. */
export function homeView(tasks: Message): HomeView {
  const { blocks } = renderSlackMessage({
    ...tasks,
    sections: [...tasks.sections, { kind: 'context', text: 'Type `/safeguarding help` in any channel to see everything the bot can do.' }],
  });
  return { type: 'home', blocks };
}
