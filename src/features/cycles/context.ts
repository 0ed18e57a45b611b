import type { FeatureDeps } from '../contract.js';

/** What the cycles feature needs from the outside world: what every feature is given. */
export type CycleDeps = FeatureDeps;
