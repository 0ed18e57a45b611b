import { BotError } from '../../src/core/errors.js';
import type { FeatureDeps } from '../../src/features/contract.js';
import { loadDraft, saveDraft } from '../../src/forms/drafts.js';
import { definePagedForm, type PagedForm } from '../../src/forms/paged-form.js';
import type { ActionHandler } from '../../src/interactions/types.js';
import { enqueueOutbound, updateCardsAbout } from '../../src/messaging/outbox.js';
import { groupChannelTargets } from '../../src/messaging/recipients.js';
import { transact } from '../../src/store/unit-of-work.js';
import {
  decodeToyAnswers,
  encodeToyAnswers,
  TOY_ANSWERS_GROUP_KEY,
  TOY_COLOUR_OPTIONS,
  toyAnswersCard,
  toyAnswersSubject,
  toyFormKey,
  toySubject,
  type ToyAnswers,
} from './model.js';

/** Two pages (a name for the toy, then its colour and size) and a review page; finishing shares the answers. */
export function toySurvey(deps: FeatureDeps): PagedForm {
  return definePagedForm(
    {
      key: toyFormKey,
      title: 'Toy survey',
      pages: () => [
        { title: 'The toy', fields: [{ kind: 'text', id: 'name', label: 'Toy name', required: true, maxLength: 40 }] },
        {
          title: 'Details',
          fields: [
            { kind: 'choice', id: 'colour', label: 'Colour', required: true, options: TOY_COLOUR_OPTIONS },
            { kind: 'number', id: 'size', label: 'Size (cm)', min: 1, max: 100 },
          ],
        },
      ],
      async complete(ctx, values) {
        const answers: ToyAnswers = { memberId: ctx.profile.memberId, by: ctx.profile.displayName, name: values.name!, colour: values.colour!, ...(values.size ? { size: values.size } : {}) };
        await shareAnswers(deps, ctx.profile.partnershipId, answers);
        const text = `Thanks: ${values.name} (${values.colour}) is recorded.`;
        return { kind: 'done', notice: { text, sections: [{ kind: 'text', text }] } };
      },
    },
    deps,
  );
}

/** Posts the answers card to the group's channels, or, once posted, updates every copy of it in place. */
async function shareAnswers(deps: FeatureDeps, partnershipId: string, answers: ToyAnswers): Promise<void> {
  const card = toyAnswersCard(answers, 'everyone');
  const subjectKey = toyAnswersSubject(answers.memberId);
  await transact(deps.db, async (tx, afterCommit) => {
    const group = await tx.group.findFirst({ where: { partnershipId, key: TOY_ANSWERS_GROUP_KEY, active: true }, select: { id: true } });
    if (!group) return;
    let ids = await updateCardsAbout(tx, subjectKey, encodeToyAnswers(answers), card);
    if (ids.length === 0) {
      for (const [i, target] of (await groupChannelTargets(tx, group.id, deps.platforms)).entries()) {
        ids.push(await enqueueOutbound(tx, { key: `${subjectKey}:post:${i}`, partnershipId, target, message: card, subjectKey }));
      }
    }
    afterCommit(() => deps.pushOutbox(ids));
  });
}

/** Teams asks for each viewer's version of the answers card: the answerer's has Edit answers, everyone else's is read-only. */
export const toyAnswersView: ActionHandler = async ({ profile, value }) => {
  const answers = decodeToyAnswers(value);
  if (!answers) return { kind: 'notice', message: { text: 'Those answers can no longer be shown.', sections: [] } };
  return { kind: 'card', card: toyAnswersCard(answers, profile?.memberId === answers.memberId ? 'answerer' : 'everyone') };
};

/** "Edit answers": only the answerer; reopens the survey with their answers (or the draft they already started). */
export function toyAnswersEdit(deps: FeatureDeps, survey: PagedForm): ActionHandler {
  return async ({ profile, value, now }) => {
    const answers = decodeToyAnswers(value);
    const member = profile!;
    if (!answers || answers.memberId !== member.memberId) {
      throw new BotError('forbidden', 'toy answers edited by someone else', `Only ${answers?.by ?? 'the person who answered'} can edit these answers.`);
    }
    const key = { formKey: toyFormKey, subjectKey: toySubject(member.memberId) };
    if (!(await loadDraft(deps.db, key))) {
      const values = { name: answers.name, colour: answers.colour, size: answers.size };
      await saveDraft(deps.db, { ...key, partnershipId: member.partnershipId, memberId: member.memberId, page: 0, values, expectedVersion: 0, now });
    }
    return { kind: 'form', form: await survey.open({ profile: member, subject: key.subjectKey, now }) };
  };
}
