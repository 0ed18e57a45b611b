import { forbidden, invalidInput, looksLikeId, unknownSubject } from '../../core/errors.js';
import type { ActionHandler } from '../../interactions/types.js';
import type { FeatureDeps } from '../contract.js';
import { retryFailed } from './failed.js';
import { adminButtons, canAdminister, ONLY_ADMINS } from './model.js';

/** Retry and Retry all on the `admin failed` list. Each is checked against the presser's own partnership. */
export function adminActions(deps: FeatureDeps): Record<string, ActionHandler> {
  return {
    [adminButtons.retry]: async (request) => {
      if (!canAdminister(request.profile)) throw forbidden(ONLY_ADMINS);
      if (!request.value) throw invalidInput('That button is missing its message.');
      // An edited payload: PostgreSQL would reject a malformed id with an error rather than find nothing.
      if (!looksLikeId(request.value)) throw unknownSubject('That message is no longer waiting to be retried.', 'outbox', request.value);
      return { kind: 'notice', message: await retryFailed(deps, request.profile, [request.value]) };
    },
    [adminButtons.retryAll]: async (request) => {
      if (!canAdminister(request.profile)) throw forbidden(ONLY_ADMINS);
      return { kind: 'notice', message: await retryFailed(deps, request.profile, undefined) };
    },
  };
}
