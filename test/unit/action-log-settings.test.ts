import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { features } from '../../src/app/features.js';
import { parsePartnershipFile } from '../../src/app/partnership-file.js';
import { actionReminderSettings } from '../../src/features/action-log/schema.js';
import { examplePartnership } from '../support/bot-harness.js';

// The optional `actionLog:` section: how a partnership's actions are reminded. Without it, the defaults.
describe('actionLog: in the partnership file', () => {
  it('needs no section: actions are reminded 3 working days before, on the day, every 2 days overdue, and the chair told at 3', async () => {
    const walsall = parsePartnershipFile(await readFile(examplePartnership('walsall'), 'utf8'), 'walsall.yaml', features);
    expect(actionReminderSettings(walsall)).toEqual({ sendAt: '09:30', before: [3], onDueDay: true, overdueEvery: 2, escalateAfter: 3 });
  });

  it('takes the settings it is given, and false turns chasers or the escalation off', async () => {
    const text = `${await readFile(examplePartnership('walsall'), 'utf8')}\nactionLog:\n  reminders: { sendAt: "08:45", before: [1, 5, 1], overdueEvery: false, escalateAfter: 5 }\n`;
    const walsall = parsePartnershipFile(text, 'walsall.yaml', features);
    expect(actionReminderSettings(walsall)).toEqual({ sendAt: '08:45', before: [5, 1], onDueDay: true, overdueEvery: null, escalateAfter: 5 });
  });

  it('says exactly where a setting is wrong', async () => {
    const text = `${await readFile(examplePartnership('walsall'), 'utf8')}\nactionLog:\n  reminders: { sendAt: "9.30", escalateAfter: 0 }\n`;
    const line = text.split('\n').length - 1;
    expect(() => parsePartnershipFile(text, 'walsall.yaml', features)).toThrow(`walsall.yaml:${line}:24 actionLog.reminders.sendAt: "9.30" is not a time written HH:mm, e.g. "09:30"`);
    expect(() => parsePartnershipFile(text, 'walsall.yaml', features)).toThrow(`walsall.yaml:${line}:47 actionLog.reminders.escalateAfter: must be at least 1`);
  });
});
