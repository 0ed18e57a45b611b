import type { z } from 'zod';
import type { SchemaProblem } from './schema-primitives.js';

/**
 * A feature's own section of the partnership file (e.g. `plans:` for QA cycles). The directory validates it with
 * the same precise `file:line:col path: message` errors as its own sections, and stores it with the partnership;
 * it never needs to know what is inside.
 */
export interface ConfigSection {
  /** The top-level key in the file, e.g. `plans`. */
  key: string;
  /** Validates the section. Give it a `.default(...)` so a file without the section is valid. */
  schema: z.ZodType;
  /**
   * References from the section into the rest of the file (groups, members, agencies). Reads `section` and `file`
   * defensively: they may still hold shape errors, and one pass reports everything. Paths start at the file root.
   */
  crossCheck?(section: unknown, file: unknown): SchemaProblem[];
}
