/**
 * "Each of these members sees their own version of this card" (e.g. the lead sees Edit, everyone else a read-only
 * card). Send the read-only version with this view. Teams asks for a member's version whenever one of them views the
 * card (Universal Actions `refresh`), by running `actionId` with `value` as if they had pressed it; its handler
 * answers `{ kind: 'card' }` with the viewer's card, carrying this same view so Teams keeps asking, and the read-only
 * card for anyone it does not recognise. Everyone not listed sees the card as sent. Slack has no per-viewer cards:
 * there, send the personal version to each member where that matters.
 */
export interface PersonalView {
  actionId: string;
  value?: string;
  memberIds: string[];
}
