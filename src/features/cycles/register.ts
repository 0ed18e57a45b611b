import type { CommandRouter } from '../../commands/router.js';
import type { InteractionRouter } from '../../interactions/router.js';
import type { TimerHandlerRegistry } from '../../scheduler/timer-handlers.js';
import { registerCycleActions } from './actions.js';
import { registerCalendarCommand } from './calendar-command.js';
import { registerCycleCommands } from './commands.js';
import type { CycleDeps } from './context.js';
import { registerCycleTimers } from './timer-handlers.js';
import { sendCatchUpCards } from './catch-up.js';

/** Plugs QA cycles into the bot: commands, card buttons and forms, and the timers that drive reminders. */
export function registerCycles(
  routers: { commands: CommandRouter; interactions: InteractionRouter; timers: TimerHandlerRegistry; memberReachable?: ((memberId: string) => Promise<void>)[] },
  deps: CycleDeps,
  publicUrl: () => string,
): void {
  routers.memberReachable?.push(async (memberId) => void (await sendCatchUpCards(deps, memberId)));
  registerCycleCommands(routers.commands, deps);
  registerCalendarCommand(routers.commands, deps.db, publicUrl);
  registerCycleActions(routers.interactions, deps);
  registerCycleTimers(routers.timers, deps);
}
