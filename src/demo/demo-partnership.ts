// Which partnership the demo runs, and who the Playground signs in as.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PartnershipConfig } from '../directory/config-schema.js';
import { loadPartnershipFile } from '../app/partnership-file.js';
import { DemoStartError } from './demo-errors.js';
import type { PlaygroundUser } from './playground.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const examplesDir = path.join(repoRoot, 'examples', 'partnerships');

/** Used when the demo member has no Teams id in the file: the demo maps this Playground identity to them. */
export const fallbackDemoAadObjectId = '00000000-0000-0000-0000-0000000000d0';
/** Used when the partnership has no Teams tenant in the file. */
export const fallbackDemoTenantId = '00000000-0000-0000-0000-0000000000e1';

export interface DemoPartnership {
  file: string;
  config: PartnershipConfig;
  tenantId: string;
  /** The member the Playground signs in as (demo-user, else the first business manager). */
  home: PlaygroundUser & { key: string };
  others: PlaygroundUser[];
}

export async function loadDemoPartnership(slug: string): Promise<DemoPartnership> {
  const file = path.join(examplesDir, `${slug}.yaml`);
  if (!existsSync(file)) {
    const known = (await readdir(examplesDir)).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    throw new DemoStartError(`There is no example partnership "${slug}" in examples/partnerships/.`, `pick one of: ${known.join(', ')} (npm run demo -- --partnership ${known[0] ?? 'swindon'})`);
  }
  const config = await loadPartnershipFile(file);
  const members = [...config.members].sort((a, b) => a.key.localeCompare(b.key));
  const homeMember = members.find((m) => m.key === 'demo-user') ?? members.find((m) => m.roles.includes('business_manager')) ?? members[0];
  if (!homeMember) throw new DemoStartError(`${file} has no members.`, 'add at least one member with the business_manager role');
  const others = members
    .filter((m) => m.key !== homeMember.key && m.teams)
    .slice(0, 5)
    .map((m): PlaygroundUser => ({ aadObjectId: m.teams ?? '', name: m.name, email: m.email }));
  while (others.length < 5) others.push({ aadObjectId: `00000000-0000-0000-0000-0000000000f${others.length}`, name: `Guest ${others.length + 1}` });
  return {
    file,
    config,
    tenantId: config.partnership.teams?.tenantId ?? fallbackDemoTenantId,
    home: { key: homeMember.key, aadObjectId: homeMember.teams ?? fallbackDemoAadObjectId, name: homeMember.name, email: homeMember.email },
    others,
  };
}
