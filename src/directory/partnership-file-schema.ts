import { z } from 'zod';
import type { ConfigSection } from './config-section.js';
import { directoryConfigSchema, directorySections, findCrossReferenceProblems, type DirectoryConfig } from './config-schema.js';
import { field } from './schema-primitives.js';

/*
 * The whole partnership file: the directory sections (config-schema.ts) and each feature's own section
 * (ConfigSection, declared by the feature and handed in by the app). The directory never imports a feature.
 */

export function partnershipFileSchema(sections: readonly ConfigSection[]): z.ZodType<PartnershipConfig> {
  const shape: Record<string, z.ZodType> = { ...directorySections };
  for (const section of sections) {
    if (section.key in shape) throw new Error(`partnership file section "${section.key}" is declared twice`);
    shape[section.key] = section.schema;
  }
  return z
    .strictObject(shape)
    // Cross-reference checks run even when the shape has errors, so one pass reports everything.
    .superRefine(
      (config, ctx) => {
        const problems = [
          ...findCrossReferenceProblems(config),
          ...sections.flatMap((section) => section.crossCheck?.(field(config, section.key), config) ?? []),
        ];
        for (const problem of problems) {
          ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { at: problem.at } });
        }
      },
      { when: () => true },
    ) as unknown as z.ZodType<PartnershipConfig>;
}

/** A validated partnership file: the directory, plus each feature's section under its key (read it with the feature's own accessor). */
export type PartnershipConfig = DirectoryConfig & { readonly [section: string]: unknown };

/**
 * What a partnership file holds before validation: the directory sections as typed input, with each feature's
 * section left `unknown` for its own schema to check. A validated PartnershipConfig is one too, so tests can edit
 * either and parse it again.
 */
export type PartnershipConfigInput = z.input<typeof directoryConfigSchema> & { [section: string]: unknown };
