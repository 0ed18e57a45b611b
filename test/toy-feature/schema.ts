import { z } from 'zod';
import type { ConfigSection } from '../../src/directory/config-section.js';
import { text } from '../../src/directory/schema-primitives.js';

/** `toy: { greeting: "..." }` in the partnership file; optional. */
export const toySection: ConfigSection = {
  key: 'toy',
  schema: z.strictObject({ greeting: text.max(40, 'keep the greeting under 40 characters') }).default({ greeting: 'Hello' }),
};
