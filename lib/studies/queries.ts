import { prisma, type DbOrTx } from "@/lib/db";

/** Stored output settings per system on one eval set: what a study can compare. */
export interface OutputSettingsRow {
  systemId: string;
  evalSetId: string;
  settingsKey: string;
  settings: unknown;
  items: number;
}

export function outputSettingsByEvalSet(db: DbOrTx = prisma): Promise<OutputSettingsRow[]> {
  return db.$queryRaw<OutputSettingsRow[]>`
    SELECT o."systemId", i."evalSetId", o."settingsKey",
           (array_agg(o."settings"))[1] AS "settings", count(DISTINCT o."itemId")::int AS "items"
    FROM "Output" o JOIN "EvalItem" i ON i."id" = o."itemId"
    GROUP BY o."systemId", i."evalSetId", o."settingsKey"
    ORDER BY o."systemId", i."evalSetId", o."settingsKey"`;
}

export function countOutputs(where: { systemId: string; evalSetId: string; settingsKey: string }, db: DbOrTx = prisma) {
  return db.output.count({
    where: { systemId: where.systemId, settingsKey: where.settingsKey, item: { evalSetId: where.evalSetId } },
  });
}

/** The lowest-ranked output per item of one system and settings on one eval set. */
export async function firstOutputsByItem(
  where: { systemId: string; evalSetId: string; settingsKey: string },
  db: DbOrTx = prisma,
) {
  const rows = await db.output.findMany({
    where: { systemId: where.systemId, settingsKey: where.settingsKey, item: { evalSetId: where.evalSetId } },
    select: { id: true, itemId: true, text: true, rank: true },
    orderBy: [{ itemId: "asc" }, { rank: "asc" }],
  });
  const byItem = new Map<string, { id: string; text: string }>();
  for (const r of rows) if (!byItem.has(r.itemId)) byItem.set(r.itemId, { id: r.id, text: r.text });
  return byItem;
}

export function latestInstructions(studyId: string, db: DbOrTx = prisma) {
  return db.instructionsVersion.findFirst({
    where: { studyId },
    orderBy: { version: "desc" },
    select: { id: true, version: true, markdown: true, criteria: true, createdAt: true },
  });
}

/** Active annotators, the people a study can take on as participants. */
export function activeAnnotators(db: DbOrTx = prisma) {
  return db.user.findMany({
    where: { role: "ANNOTATOR", isActive: true },
    select: { id: true, name: true, email: true },
    orderBy: { email: "asc" },
  });
}

type OutputKey = { systemId: string; settingsKey: string };

/** The first item (by position) of an eval set that both outputs have, with each one's lowest-ranked text. */
export async function firstItemWithBoth(
  args: { evalSetId: string; teacher: OutputKey; student: OutputKey },
  db: DbOrTx = prisma,
) {
  const has = (o: OutputKey) => ({ outputs: { some: { systemId: o.systemId, settingsKey: o.settingsKey } } });
  const item = await db.evalItem.findFirst({
    where: { evalSetId: args.evalSetId, AND: [has(args.teacher), has(args.student)] },
    orderBy: { position: "asc" },
    select: {
      source: true,
      outputs: {
        where: { OR: [args.teacher, args.student] },
        select: { systemId: true, settingsKey: true, text: true },
        orderBy: { rank: "asc" },
      },
    },
  });
  if (!item) return null;
  const textOf = (o: OutputKey) =>
    item.outputs.find((x) => x.systemId === o.systemId && x.settingsKey === o.settingsKey)!.text;
  return { source: item.source, teacher: textOf(args.teacher), student: textOf(args.student) };
}
