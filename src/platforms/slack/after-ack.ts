import { errorLogFields } from '../../core/error-log.js';
import type { InboundPort } from '../../interactions/inbound-port.js';

/**
 * Work that carries on once Slack has its answer. The listener does not wait for it (with processBeforeResponse the
 * HTTP 200 goes out when the listener returns), so its failures are logged here: Bolt never sees them.
 */
export function afterAck(port: InboundPort, failure: string, work: () => Promise<void>): void {
  void work().catch((error: unknown) => port.logger.error(errorLogFields(error), failure));
}
