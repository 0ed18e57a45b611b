import { describe, expect, it } from 'vitest';
import { parsePartnershipFile } from '../../src/app/partnership-file.js';
import { PartnershipConfigError } from '../../src/directory/load-config.js';
import { DEFAULT_REVIEW_POLICY } from '../../src/features/reviews/model.js';
import { reviewPolicy } from '../../src/features/reviews/schema.js';
import { testshireFile } from '../support/testshire-file.js';

// The optional `reviews:` section of a partnership file: what it becomes, and the precise errors for what is wrong in it.
const base = `${testshireFile}  - key: executive-board
    name: Executive Board
    kind: executive
    chair: sam-patel
    members: [jo-smith]
`;

// Its first line is line 29.
const reviews = `reviews:
  groups: { child: practice-review-group, adult: practice-review-group }
  decidedBy:
    child: { group: executive-board }
    dhr: { members: [sam-patel] }
  escalateTo: [sam-patel]
  jointChairs: [sam-patel, jo-smith]
  clocks:
    rapidReviewFrom: notification
    dhrDecision: { months: 1 }
    keepPublished: false
`;
const valid = base + reviews;

function edit(from: string, to: string): string {
  if (!valid.includes(from)) throw new Error(`test fixture has no "${from}"`);
  return valid.replace(from, to);
}

function problemLines(text: string): string[] {
  try {
    parsePartnershipFile(text, 'test.yaml');
  } catch (error) {
    if (error instanceof PartnershipConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

const sectionsOf = (text: string) => (parsePartnershipFile(text, 'test.yaml') as unknown as { reviews?: unknown });

describe('reviews: in a partnership file', () => {
  it('is optional: without it, the defaults (the practice-review group, the independent chair, 5/10/15 working days)', () => {
    expect(sectionsOf(base).reviews ?? {}).toEqual({});
    expect(reviewPolicy({})).toEqual({ ...DEFAULT_REVIEW_POLICY, clocks: { ...DEFAULT_REVIEW_POLICY.clocks } });
  });

  it('reads groups, decision makers, chairs and clocks', () => {
    const policy = reviewPolicy({ reviews: sectionsOf(valid).reviews });
    expect(policy.groups).toEqual({ child: 'practice-review-group', adult: 'practice-review-group' });
    expect(policy.decidedBy).toEqual({ child: { kind: 'group', group: 'executive-board' }, dhr: { kind: 'members', members: ['sam-patel'] } });
    expect(policy.escalateTo).toEqual(['sam-patel']);
    expect(policy.jointChairs).toEqual(['sam-patel', 'jo-smith']);
    expect(policy.clocks).toMatchObject({ rapidReviewFrom: 'notification', dhrDecision: { months: 1 }, rapidReview: { workingDays: 15 }, keepPublished: null });
  });

  it('names an unknown group in groups.child with its path and line, and suggests the likely one', () => {
    expect(problemLines(edit('groups: { child: practice-review-group,', 'groups: { child: practise-review-group,'))).toEqual([
      'test.yaml:30:20 reviews.groups.child: there is no group "practise-review-group"; did you mean "practice-review-group"?',
    ]);
  });

  it('names an unknown group without a guess when nothing is close', () => {
    expect(problemLines(edit('groups: { child: practice-review-group,', 'groups: { child: safeguarding-board,'))).toEqual([
      'test.yaml:30:20 reviews.groups.child: there is no group "safeguarding-board"',
    ]);
  });

  it('names unknown members and decision groups with their paths', () => {
    const text = edit('    child: { group: executive-board }', '    child: { group: executve-board }')
      .replace('    dhr: { members: [sam-patel] }', '    dhr: { members: [sam-patel, jo-smyth] }')
      .replace('  escalateTo: [sam-patel]', '  escalateTo: [pat-jones]');
    expect(problemLines(text)).toEqual([
      'test.yaml:32:21 reviews.decidedBy.child.group: there is no group "executve-board"; did you mean "executive-board"?',
      'test.yaml:33:33 reviews.decidedBy.dhr.members[1]: there is no member "jo-smyth"; did you mean "jo-smith"?',
      'test.yaml:34:16 reviews.escalateTo[0]: there is no member "pat-jones"',
    ]);
  });

  it('refuses a rapidReviewFrom that is neither awareness nor notification, with the allowed values', () => {
    expect(problemLines(edit('    rapidReviewFrom: notification', '    rapidReviewFrom: referral'))).toEqual([
      'test.yaml:37:22 reviews.clocks.rapidReviewFrom: "referral" is not allowed here; use one of: awareness, notification',
    ]);
    expect(problemLines(edit('    rapidReviewFrom: notification', '    rapidReviewFrom: 15'))).toEqual([
      'test.yaml:37:22 reviews.clocks.rapidReviewFrom: the number 15 is not allowed here; use one of: awareness, notification',
    ]);
  });

  it('refuses a clock in a unit it does not take or of no length, a type that does not exist, and an unknown key', () => {
    const text = edit('    dhrDecision: { months: 1 }', '    dhrDecision: { weeks: 4 }')
      .replace('groups: { child: practice-review-group,', 'groups: { chlid: practice-review-group,')
      .replace('  escalateTo: [sam-patel]', '  escalateTo: [sam-patel]\n  remindBefor: [2]');
    expect(problemLines(text)).toEqual([
      'test.yaml:30:13 reviews.groups.chlid: unknown key "chlid" (did you mean "child"?)',
      'test.yaml:35:3 reviews.remindBefor: unknown key "remindBefor" (did you mean "remindBefore"?)',
      'test.yaml:39:18 reviews.clocks.dhrDecision: must be { workingDays: N } or { months: N }',
    ]);
    expect(problemLines(edit('    dhrDecision: { months: 1 }', '    dhrDecision: { months: 0 }'))).toEqual([
      'test.yaml:38:28 reviews.clocks.dhrDecision.months: must be at least 1',
    ]);
  });
});
