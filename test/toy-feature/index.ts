import { defineFeature } from '../../src/features/contract.js';
import { toyAnswersEdit, toyAnswersView, toySurvey } from './actions.js';
import { toyCommand } from './commands.js';
import { TOY_ANSWERS_EDIT, TOY_ANSWERS_VIEW, toyFormKey, toyTimerKind } from './model.js';
import { toySection } from './schema.js';
import { toyNudge } from './timers.js';

export const toyFeature = defineFeature({
  name: 'toy',
  commands: [{ name: 'toy', usage: 'toy', summary: 'Fill in the toy survey (two pages, saved as you go)' }],
  configSection: toySection,
  models: [],
  install(deps) {
    const survey = toySurvey(deps);
    return {
      commands: { toy: toyCommand(deps, survey) },
      actions: { [TOY_ANSWERS_VIEW]: toyAnswersView, [TOY_ANSWERS_EDIT]: toyAnswersEdit(deps, survey) },
      forms: { [toyFormKey]: survey.handler },
      timers: { [toyTimerKind]: toyNudge(deps) },
    };
  },
});
