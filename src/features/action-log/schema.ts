import { z } from 'zod';
import type { ConfigSection } from '../../directory/config-section.js';
import { quoted } from '../../directory/schema-primitives.js';
import { DEFAULT_ACTION_REMINDERS, type ActionReminderSettings } from './model.js';

/*
 * The optional `actionLog:` section of a partnership file. Action logs need no YAML; this only changes how actions
 * are reminded (every field optional, defaults in DEFAULT_ACTION_REMINDERS):
 *
 * actionLog:
 *   reminders:
 *     sendAt: "09:30"        # local time, working days only
 *     before: [3]            # working days before the due date
 *     onDueDay: true
 *     overdueEvery: 2        # working days between chasers to the owner; false: none
 *     escalateAfter: 3       # working days overdue before the group's chair is told; false: never
 */

const workingDays = z.number().int('must be a whole number').min(1, 'must be at least 1');
const workingDaysOrOff = z.union([workingDays, z.literal(false)], {
  error: 'must be a whole number of working days (at least 1), or false to turn it off',
});

const remindersSchema = z.strictObject({
  sendAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
    error: (issue) => `${quoted(issue.input)} is not a time written HH:mm, e.g. "09:30"`,
  }).optional(),
  before: z.array(workingDays).optional(),
  onDueDay: z.boolean().optional(),
  overdueEvery: workingDaysOrOff.optional(),
  escalateAfter: workingDaysOrOff.optional(),
});

/** The section as written; parsing it again gives the same value, so a parsed file re-validates. */
export const actionLogSectionSchema = z.strictObject({ reminders: remindersSchema.default({}) }).default({ reminders: {} });

export const actionLogSection: ConfigSection = {
  key: 'actionLog',
  schema: actionLogSectionSchema,
};

/** The reminder settings of a partnership, from its stored sections (the defaults when the file has no `actionLog:`). */
export function actionReminderSettings(sections: unknown): ActionReminderSettings {
  const stored = sections && typeof sections === 'object' ? (sections as Record<string, unknown>).actionLog : undefined;
  const parsed = actionLogSectionSchema.safeParse(stored);
  const reminders = parsed.success ? parsed.data.reminders : {};
  return {
    sendAt: reminders.sendAt ?? DEFAULT_ACTION_REMINDERS.sendAt,
    before: [...new Set(reminders.before ?? DEFAULT_ACTION_REMINDERS.before)].sort((a, b) => b - a),
    onDueDay: reminders.onDueDay ?? DEFAULT_ACTION_REMINDERS.onDueDay,
    overdueEvery: reminders.overdueEvery === false ? null : reminders.overdueEvery ?? DEFAULT_ACTION_REMINDERS.overdueEvery,
    escalateAfter: reminders.escalateAfter === false ? null : reminders.escalateAfter ?? DEFAULT_ACTION_REMINDERS.escalateAfter,
  };
}
