import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { describeOutputSet } from "@/lib/explorer";
import { NotFoundError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { requireId } from "@/lib/ids";

export interface EvalSetDetail {
  id: string;
  name: string;
  description: string;
  sourceFilename: string | null;
  itemCount: number;
  items: { id: string; externalId: string; source: string; references: string[] }[];
  outputsBySystem: {
    systemId: string;
    systemName: string;
    role: string;
    settingsKey: string;
    /** What made the set, in words (system, strategy, the settings that matter). */
    label: string;
    items: number;
    outputs: number;
  }[];
}

/** An eval set with its first items and, per system and settings, how many items have outputs. */
export async function getEvalSet(
  actor: Actor | null,
  id: string,
  { itemLimit = 50 } = {},
  db: DbOrTx = prisma,
): Promise<EvalSetDetail> {
  requirePermission(actor, "eval-sets:read");
  const set = await db.evalSet.findUnique({
    where: { id: requireId(id, "eval set") },
    select: { id: true, name: true, description: true, sourceFilename: true, _count: { select: { items: true } } },
  });
  if (!set) throw new NotFoundError("No such eval set");
  const items = await db.evalItem.findMany({
    where: { evalSetId: id },
    orderBy: { position: "asc" },
    take: itemLimit,
    select: { id: true, externalId: true, source: true, references: true },
  });
  const groups = await db.$queryRaw<
    {
      systemId: string;
      systemName: string;
      role: string;
      settingsKey: string;
      settings: unknown;
      items: bigint;
      outputs: bigint;
    }[]
  >`
    SELECT o."systemId", s.name AS "systemName", s.role::text AS role, o."settingsKey",
           (array_agg(o."settings"))[1] AS settings, COUNT(DISTINCT o."itemId") AS items, COUNT(*) AS outputs
    FROM "Output" o JOIN "EvalItem" i ON i.id = o."itemId" JOIN "System" s ON s.id = o."systemId"
    WHERE i."evalSetId" = ${id}::uuid
    GROUP BY o."systemId", s.name, s.role, o."settingsKey" ORDER BY s.role DESC, s.name`;
  return {
    id: set.id,
    name: set.name,
    description: set.description,
    sourceFilename: set.sourceFilename,
    itemCount: set._count.items,
    items,
    outputsBySystem: groups.map(({ settings, ...g }) => ({
      ...g,
      label: describeOutputSet({ ...g, settings }),
      items: Number(g.items),
      outputs: Number(g.outputs),
    })),
  };
}
