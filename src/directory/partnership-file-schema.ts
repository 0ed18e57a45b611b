import { z } from 'zod';
import { cyclePlansSchema, findPlanReferenceProblems } from '../features/cycles/plan-schema.js';
import { directorySections, findCrossReferenceProblems } from './config-schema.js';
import { field } from './schema-primitives.js';

/*
 * The whole partnership file: the directory sections (config-schema.ts) and the optional `plans:`
 * section (features/cycles/plan-schema.ts). Both of those import their shared building blocks from
 * schema-primitives.ts and neither imports the other, so composing them here makes no import cycle.
 */

export const partnershipFileSchema = z
  .strictObject({
    ...directorySections,
    plans: cyclePlansSchema.default([]),
  })
  // Cross-reference checks run even when the shape has errors, so one pass reports everything.
  .superRefine(
    (config, ctx) => {
      const problems = [...findCrossReferenceProblems(config), ...findPlanReferenceProblems(field(config, 'plans'), config)];
      for (const problem of problems) {
        ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { at: problem.at } });
      }
    },
    { when: () => true },
  );

/** A validated partnership file; `plans` is `[]` when the file has none. */
export type PartnershipConfig = z.output<typeof partnershipFileSchema>;
/**
 * What a partnership file holds before validation: the directory sections as typed input, with each
 * plan left `unknown` for cyclePlansSchema to check (write one as a CyclePlanInput). A validated
 * PartnershipConfig is one too, so tests can edit either and parse it again.
 */
export type PartnershipConfigInput = Omit<z.input<typeof partnershipFileSchema>, 'plans'> & { plans?: readonly unknown[] };
