// The demo's state lives in RuntimeSetting so a second `npm run demo` starts where the first left off.
import type { Db } from '../store/db.js';

export const demoSettingKeys = {
  /** Milliseconds the demo clock runs ahead of the real one. */
  clockOffsetMs: 'demo.clockOffsetMs',
  /** { memberId, role } the demo user currently acts as; absent means themself. */
  actingAs: 'demo.actingAs',
} as const;

export async function readDemoSetting<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db.runtimeSetting.findUnique({ where: { key } });
  return row ? (row.value as T) : undefined;
}

export async function writeDemoSetting(db: Db, key: string, value: unknown): Promise<void> {
  const json = value as Parameters<Db['runtimeSetting']['create']>[0]['data']['value'];
  await db.runtimeSetting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
}

export async function clearDemoSetting(db: Db, key: string): Promise<void> {
  await db.runtimeSetting.deleteMany({ where: { key } });
}
