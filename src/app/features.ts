import type { Services } from './services.js';

/** Every feature plugs its commands, buttons, forms and timer kinds in here. */
export function registerFeatures(_services: Services): void {}
