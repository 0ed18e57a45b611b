// A test-only feature with one command (`toyreturn <id>`) opening a two-page form with a draft, the way a real
// feature would plug one in. `completed` records every submitted set of answers.
import { forbidden } from '../../src/core/errors.js';
import { defineFeature, type Feature } from '../../src/features/contract.js';
import { definePagedForm, type CompleteResult, type PagedFormContext } from '../../src/forms/paged-form.js';
import type { FormValues } from '../../src/messaging/message.js';

export const TOY_FORM = 'toy.return';

export interface ToyPagedForm {
  feature: Feature;
  completed: { subject: string; values: FormValues }[];
  /** What the feature answers when the review page is submitted (default: done). */
  answer: (values: FormValues) => CompleteResult;
  /** Member keys refused by the form's authorize (default: nobody). */
  refused: Set<string>;
}

export function toyPagedForm(): ToyPagedForm {
  const toy: ToyPagedForm = {
    completed: [],
    answer: () => ({ kind: 'done', notice: { text: 'Return received. Thank you.', sections: [] } }),
    refused: new Set(),
    feature: defineFeature({
      name: 'toy',
      commands: [{ name: 'toyreturn', usage: 'toyreturn <id>', summary: 'A two-page test form' }],
      models: [],
      install(deps) {
        const form = definePagedForm(
          {
            key: TOY_FORM,
            title: 'Toy return',
            pages: () => [
              {
                title: 'About training',
                fields: [
                  { kind: 'longText', id: 'summary', label: 'Summary', required: true },
                  { kind: 'number', id: 'staff', label: 'Staff trained', integer: true, min: 0 },
                ],
              },
              {
                title: 'Who leads',
                fields: [
                  { kind: 'member', id: 'lead', label: 'Lead', required: true },
                  { kind: 'multiChoice', id: 'areas', label: 'Areas', options: [{ value: 'early-help', label: 'Early help' }, { value: 'neglect', label: 'Neglect' }, { value: 'exploitation', label: 'Exploitation' }] },
                ],
              },
            ],
            review: { submitLabel: 'Send return' },
            authorize(ctx: PagedFormContext) {
              if (toy.refused.has(ctx.profile.memberKey ?? '')) throw forbidden('Only the agency’s lead can fill in this return.');
            },
            async complete(ctx, values) {
              const result = toy.answer(values);
              if (result.kind === 'done') toy.completed.push({ subject: ctx.subject, values });
              return result;
            },
          },
          { db: deps.db },
        );
        return {
          commands: {
            toyreturn: async ({ profile, args, now }) =>
              profile ? { kind: 'form', form: await form.open({ profile, subject: `toy:${args[0] ?? 'none'}`, now }) } : { kind: 'reply', message: { text: 'No.', sections: [] } },
          },
          forms: { [form.key]: form.handler },
        };
      },
    }),
  };
  return toy;
}
