import type { PersonalView } from '../../messaging/personal-view.js';
import type { Db } from '../../store/db.js';
import type { AdaptiveCardJson } from './render-card.js';

/** Teams refreshes a card automatically for at most 60 listed users; others can still press a button to refresh. */
export const TEAMS_REFRESH_USER_IDS_MAX = 60;

type RefreshView = Pick<PersonalView, 'actionId' | 'value'>;

const refreshAction = (view: RefreshView) => ({ type: 'Action.Execute', verb: view.actionId, ...(view.value !== undefined ? { data: { value: view.value } } : {}) });

/**
 * Adds a Universal Actions `refresh` to a card: when one of `teamsUserIds` (Teams user ids, `29:…`) views it, Teams
 * sends an adaptiveCard/action invoke with the view's action, answered like a button press with that person's card.
 */
export function withPersonalRefresh(card: AdaptiveCardJson, view: RefreshView, teamsUserIds: readonly string[]): AdaptiveCardJson {
  const userIds = [...new Set(teamsUserIds)].slice(0, TEAMS_REFRESH_USER_IDS_MAX);
  if (userIds.length === 0) return card;
  return { ...card, refresh: { action: refreshAction(view), userIds } };
}

/**
 * The card answered to one viewer keeps its `refresh`, or their Teams would stop asking for their view. A viewer Teams
 * asked for by itself was listed, so stays listed; anyone else gets an empty list: "Refresh card" in the message menu.
 */
export function withViewerRefresh(card: AdaptiveCardJson, view: RefreshView, listedViewerTeamsUserId: string | undefined): AdaptiveCardJson {
  return { ...card, refresh: { action: refreshAction(view), userIds: listedViewerTeamsUserId ? [listedViewerTeamsUserId] : [] } };
}

/**
 * The Teams user ids of members, from the personal chats the bot has with them: Teams gives no way to derive one from
 * the Entra object id, so members who never reached the bot are left out (they see the card as sent).
 */
export async function teamsUserIdsOf(db: Db, memberIds: readonly string[]): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const refs = await db.conversationRef.findMany({
    where: { platform: 'teams', scope: 'personal', memberId: { in: [...new Set(memberIds)] } },
    orderBy: { updatedAt: 'desc' },
    select: { reference: true },
  });
  const ids = refs.flatMap((ref) => {
    const user = (ref.reference as { user?: { id?: unknown } } | null)?.user;
    return typeof user?.id === 'string' && user.id !== '' ? [user.id] : [];
  });
  return [...new Set(ids)];
}
