import type { Clock } from '../../src/core/clock.js';
import { features } from '../../src/app/features.js';
import { toyFeature } from '../toy-feature/index.js';
import { startBot, type BotHarness } from './bot-harness.js';
import { giveEveryMemberATeamsChat, TeamsUser } from './teams-chat.js';

/** Swindon's Teams tenant, where the toy feature's tests talk to the bot. */
export const swindonTenant = '5ce40424-6cfb-47ba-9b27-f32ed2392389';
const rachelAad = '8108105a-1981-43ce-bbdc-73e877fb8cf8'; // Swindon's business manager, in the Executive

/** The bot with the toy feature added to its list (nothing else changed), every member reachable in Teams. */
export async function startToyBot(clock: Clock): Promise<{ bot: BotHarness; rachel: TeamsUser }> {
  const bot = await startBot({ features: [...features, toyFeature], clock, slack: false });
  await giveEveryMemberATeamsChat(bot, swindonTenant);
  return { bot, rachel: new TeamsUser(bot, rachelAad, swindonTenant, 'Rachel Whitmore') };
}
