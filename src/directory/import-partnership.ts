import { createHash } from 'node:crypto';
import type { Db, Tx } from '../store/db.js';
import { transact } from '../store/unit-of-work.js';
import type { PartnershipConfig } from './config-schema.js';
import { deriveRoles, groupPositions } from './derive-roles.js';
import { syncRows, type SyncCounts } from './sync-rows.js';

export interface ImportSummary extends SyncCounts {
  partnershipId: string;
  slug: string;
  unchanged: boolean;
}

const actor = 'directory import';

/**
 * Imports a validated partnership file in one transaction. Idempotent: importing the same file again changes
 * nothing; an edited file updates rows in place and deactivates what it no longer lists, never deleting history.
 */
export async function importPartnership(db: Db, config: PartnershipConfig): Promise<ImportSummary> {
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  return transact(db, async (tx) => {
    const counts: SyncCounts = { created: 0, updated: 0, deactivated: 0 };
    const existing = await tx.partnership.findUnique({ where: { slug: config.partnership.slug } });
    if (existing?.configHash === configHash) return { partnershipId: existing.id, slug: existing.slug, unchanged: true, ...counts };

    const p = config.partnership;
    // Everything beyond the directory's own sections is a feature's (plans:, ...): stored as given, by section name.
    const { partnership: _settings, agencies: _agencies, members: _members, groups: _groups, ...sections } = config;
    const fields = {
      name: p.name,
      timezone: p.timezone,
      slackTeamId: p.slack?.teamId ?? null,
      teamsTenantId: p.teams?.tenantId ?? null,
      extraNonWorkingDays: p.extraNonWorkingDays,
      sections: sections as object,
    };
    const partnership = existing
      ? await tx.partnership.update({ where: { id: existing.id }, data: { ...fields, configHash, importedAt: new Date() } })
      : await tx.partnership.create({ data: { slug: p.slug, ...fields, configHash, importedAt: new Date() } });
    if (!existing) counts.created += 1;
    const partnershipId = partnership.id;
    // Hundreds of rows on a first import: their audit events are written in one statement at the end.
    const audits: { action: string; subjectType: string; subjectId: string; data?: Record<string, unknown> }[] = [];
    const audit = async (entry: (typeof audits)[number]) => void audits.push(entry);

    const agencyIds = await syncRows(
      {
        subjectType: 'agency',
        existing: await tx.agency.findMany({ where: { partnershipId } }),
        desired: config.agencies,
        identityOfRow: (r) => r.key,
        identityOf: (a) => a.key,
        fieldsOf: (a) => ({ name: a.name, sector: a.sector, statutoryPartner: a.statutoryPartner }),
        create: (a) => tx.agency.create({ data: { partnershipId, key: a.key, name: a.name, sector: a.sector, statutoryPartner: a.statutoryPartner } }),
        update: async (id, data) => void (await tx.agency.update({ where: { id }, data })),
        deactivate: async (ids) => void (await tx.agency.updateMany({ where: { id: { in: ids } }, data: { active: false } })),
        audit,
      },
      counts,
    );

    await releaseMovedPlatformIds(tx, partnershipId, config, audit);
    const memberIds = await syncRows(
      {
        subjectType: 'member',
        existing: await tx.member.findMany({ where: { partnershipId } }),
        desired: config.members,
        identityOfRow: (r) => r.key,
        identityOf: (m) => m.key,
        fieldsOf: (m) => ({
          displayName: m.name,
          jobTitle: m.title ?? null,
          email: m.email ?? null,
          agencyId: m.agency ? agencyIds.get(m.agency) ?? null : null,
          // An id linked later (e.g. by email) is kept unless the file says otherwise.
          ...(m.slack ? { slackUserId: m.slack } : {}),
          ...(m.teams ? { teamsAadObjectId: m.teams } : {}),
        }),
        create: (m) =>
          tx.member.create({
            data: {
              partnershipId,
              key: m.key,
              displayName: m.name,
              jobTitle: m.title ?? null,
              email: m.email ?? null,
              agencyId: m.agency ? agencyIds.get(m.agency) ?? null : null,
              slackUserId: m.slack ?? null,
              teamsAadObjectId: m.teams ?? null,
            },
          }),
        update: async (id, data) => void (await tx.member.update({ where: { id }, data })),
        deactivate: async (ids) => void (await tx.member.updateMany({ where: { id: { in: ids } }, data: { active: false } })),
        audit,
      },
      counts,
    );

    const groupIds = await syncRows(
      {
        subjectType: 'group',
        existing: await tx.group.findMany({ where: { partnershipId } }),
        desired: config.groups,
        identityOfRow: (r) => r.key,
        identityOf: (g) => g.key,
        fieldsOf: (g) => ({ name: g.name, kind: g.kind, meetingsPerYear: g.meetingsPerYear ?? null }),
        create: (g) => tx.group.create({ data: { partnershipId, key: g.key, name: g.name, kind: g.kind, meetingsPerYear: g.meetingsPerYear ?? null } }),
        update: async (id, data) => void (await tx.group.update({ where: { id }, data })),
        deactivate: async (ids) => void (await tx.group.updateMany({ where: { id: { in: ids } }, data: { active: false } })),
        audit,
      },
      counts,
    );

    const groupIdList = [...new Set([...groupIds.values(), ...(await tx.group.findMany({ where: { partnershipId }, select: { id: true } })).map((g) => g.id)])];
    await syncRows(
      {
        subjectType: 'membership',
        existing: (await tx.groupMembership.findMany({ where: { groupId: { in: groupIdList } } })).map((m) => ({ ...m, id: `${m.groupId}|${m.memberId}` })),
        desired: groupPositions(config).map((gp) => ({ groupId: groupIds.get(gp.groupKey)!, memberId: memberIds.get(gp.memberKey)!, position: gp.position })),
        identityOfRow: (r) => r.id,
        identityOf: (d) => `${d.groupId}|${d.memberId}`,
        fieldsOf: (d) => ({ position: d.position }),
        create: async (d) => ({ ...(await tx.groupMembership.create({ data: d })), id: `${d.groupId}|${d.memberId}` }),
        update: async (id, data) => {
          const [groupId, memberId] = id.split('|') as [string, string];
          await tx.groupMembership.update({ where: { groupId_memberId: { groupId, memberId } }, data });
        },
        deactivate: async (ids) => {
          for (const id of ids) {
            const [groupId, memberId] = id.split('|') as [string, string];
            await tx.groupMembership.update({ where: { groupId_memberId: { groupId, memberId } }, data: { active: false } });
          }
        },
        audit,
      },
      counts,
    );

    const desiredChannels = config.groups.flatMap((g) =>
      (['slack', 'teams'] as const).flatMap((platform) => {
        const externalId = g.channels?.[platform];
        return externalId ? [{ platform, externalId, groupId: groupIds.get(g.key)!, name: g.name }] : [];
      }),
    );
    await syncRows(
      {
        subjectType: 'channel',
        existing: await tx.channel.findMany({ where: { partnershipId } }),
        desired: desiredChannels,
        identityOfRow: (r) => `${r.platform}:${r.externalId}`,
        identityOf: (c) => `${c.platform}:${c.externalId}`,
        fieldsOf: (c) => ({ groupId: c.groupId, name: c.name }),
        create: (c) => tx.channel.create({ data: { partnershipId, ...c } }),
        update: async (id, data) => void (await tx.channel.update({ where: { id }, data })),
        deactivate: async (ids) => void (await tx.channel.updateMany({ where: { id: { in: ids } }, data: { active: false } })),
        audit,
      },
      counts,
    );

    await syncRows(
      {
        subjectType: 'role',
        existing: await tx.roleAssignment.findMany({ where: { partnershipId } }),
        desired: deriveRoles(config).map((r) => ({
          memberId: memberIds.get(r.memberKey)!,
          role: r.role,
          scopeKey: r.scopeKey,
          groupId: r.groupKey ? groupIds.get(r.groupKey) ?? null : null,
          agencyId: r.agencyKey ? agencyIds.get(r.agencyKey) ?? null : null,
        })),
        identityOfRow: (r) => `${r.memberId}|${r.role}|${r.scopeKey}`,
        identityOf: (r) => `${r.memberId}|${r.role}|${r.scopeKey}`,
        fieldsOf: (r) => ({ groupId: r.groupId, agencyId: r.agencyId }),
        create: (r) => tx.roleAssignment.create({ data: { partnershipId, ...r } }),
        update: async (id, data) => void (await tx.roleAssignment.update({ where: { id }, data })),
        deactivate: async (ids) => void (await tx.roleAssignment.updateMany({ where: { id: { in: ids } }, data: { active: false } })),
        audit,
      },
      counts,
    );

    await audit({ action: 'directory.imported', subjectType: 'partnership', subjectId: partnershipId, data: { ...counts, configHash } });
    await tx.auditEvent.createMany({ data: audits.map((a) => ({ partnershipId, actor, action: a.action, subjectType: a.subjectType, subjectId: a.subjectId, data: (a.data ?? {}) as object })) });
    return { partnershipId, slug: partnership.slug, unchanged: false, ...counts };
  });
}

/**
 * Frees Slack and Teams ids that the file gives to someone else (or changes), so unique constraints hold mid-import.
 * A release the member sync will not see (the member gets no new id from the file) is audited here.
 */
async function releaseMovedPlatformIds(
  tx: Tx, partnershipId: string, config: PartnershipConfig,
  audit: (entry: { action: string; subjectType: string; subjectId: string; data?: Record<string, unknown> }) => Promise<void>,
): Promise<void> {
  const fileByKey = new Map(config.members.map((m) => [m.key, m]));
  const slackOwner = new Map(config.members.filter((m) => m.slack).map((m) => [m.slack!, m.key]));
  const teamsOwner = new Map(config.members.filter((m) => m.teams).map((m) => [m.teams!, m.key]));
  const members = await tx.member.findMany({ where: { partnershipId, OR: [{ slackUserId: { not: null } }, { teamsAadObjectId: { not: null } }] } });
  for (const m of members) {
    const file = fileByKey.get(m.key);
    const releaseSlack = m.slackUserId && ((slackOwner.get(m.slackUserId) ?? m.key) !== m.key || (file?.slack && file.slack !== m.slackUserId));
    const releaseTeams = m.teamsAadObjectId && ((teamsOwner.get(m.teamsAadObjectId) ?? m.key) !== m.key || (file?.teams && file.teams !== m.teamsAadObjectId));
    if (releaseSlack || releaseTeams) {
      await tx.member.update({
        where: { id: m.id },
        data: { ...(releaseSlack ? { slackUserId: null } : {}), ...(releaseTeams ? { teamsAadObjectId: null } : {}) },
      });
      const unseen = [...(releaseSlack && !file?.slack ? ['slackUserId'] : []), ...(releaseTeams && !file?.teams ? ['teamsAadObjectId'] : [])];
      if (unseen.length > 0) {
        await audit({ action: 'directory.member.updated', subjectType: 'member', subjectId: m.id, data: { key: m.key, fields: unseen, reason: 'id moved to another member' } });
      }
    }
  }
}
