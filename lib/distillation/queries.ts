import { prisma, type DbOrTx } from "@/lib/db";

export function findEvalSetForExport(evalSetId: string, db: DbOrTx = prisma) {
  return db.evalSet.findUnique({
    where: { id: evalSetId },
    select: { id: true, name: true, _count: { select: { items: true } } },
  });
}

export function findSystemForExport(systemId: string, db: DbOrTx = prisma) {
  return db.system.findUnique({ where: { id: systemId }, select: { id: true, name: true, role: true } });
}

export interface OutputRow {
  externalId: string;
  position: number;
  rank: number;
  source: string;
  text: string;
}

/** One page of the set's outputs from one system and settings, in (item position, rank) order after `after`. */
export function outputsPage(
  {
    evalSetId,
    systemId,
    settingsKey,
    after,
    limit,
  }: {
    evalSetId: string;
    systemId: string;
    settingsKey: string;
    after: { position: number; rank: number };
    limit: number;
  },
  db: DbOrTx = prisma,
) {
  return db.$queryRaw<OutputRow[]>`
    SELECT i."externalId", i.position, o.rank, i.source, o.text
    FROM "Output" o JOIN "EvalItem" i ON i.id = o."itemId"
    WHERE i."evalSetId" = ${evalSetId}::uuid AND o."systemId" = ${systemId}::uuid AND o."settingsKey" = ${settingsKey}
      AND (i.position, o.rank) > (${after.position}, ${after.rank})
    ORDER BY i.position, o.rank LIMIT ${limit}`;
}

/**
 * The settings stored with one of the set's outputs. Scoped to the set: the "imported" key is
 * shared by every import, each with its own file name.
 */
export async function outputSettings(
  { evalSetId, systemId, settingsKey }: { evalSetId: string; systemId: string; settingsKey: string },
  db: DbOrTx = prisma,
) {
  const row = await db.output.findFirst({
    where: { systemId, settingsKey, item: { evalSetId } },
    select: { settings: true },
  });
  return row?.settings ?? null;
}
