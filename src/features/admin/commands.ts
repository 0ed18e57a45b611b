import { forbidden, invalidInput } from '../../core/errors.js';
import { rowNumber } from '../../core/row-number.js';
import { reply, type CommandHandler } from '../../commands/types.js';
import { usageCard } from '../../commands/usage.js';
import type { FeatureDeps } from '../contract.js';
import { failedList, nthFailed, retryFailed } from './failed.js';
import { canAdminister, ONLY_ADMINS } from './model.js';

const usage = usageCard('admin', 'admin failed | admin failed retry <number> | admin failed retry all', [
  { title: 'admin failed', detail: 'Messages the bot could not deliver: when, to whom and why, newest first' },
  { title: 'admin failed retry <number>', detail: 'Send one of them again, once the cause is fixed' },
  { title: 'admin failed retry all', detail: 'Send all of them again' },
]);

/** `admin failed [retry <n>|all]`: partnership admins only. */
export function adminCommand(deps: FeatureDeps): CommandHandler {
  return async (request) => {
    if (!canAdminister(request.profile)) throw forbidden(ONLY_ADMINS);
    const profile = request.profile;
    const [sub, verb, which] = request.args.map((a) => a.toLowerCase());
    if (sub !== 'failed') return reply(usage);
    if (verb === undefined) return reply(await failedList(deps, profile));
    if (verb !== 'retry') return reply(usage);
    if (which === 'all') return reply(await retryFailed(deps, profile, undefined));
    const n = rowNumber(which);
    if (n === undefined) throw invalidInput('Say which message, e.g. `admin failed retry 2`, or `admin failed retry all`. Type `admin failed` to see the numbers.');
    const id = await nthFailed(deps, profile, n);
    if (!id) throw invalidInput(`There is no message #${n} waiting to be retried. Type \`admin failed\` to see the list.`);
    return reply(await retryFailed(deps, profile, [id]));
  };
}
