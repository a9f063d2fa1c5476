import { prisma, type DbOrTx } from "@/lib/db";

export const systemSelect = {
  id: true,
  name: true,
  role: true,
  kind: true,
  description: true,
  modelName: true,
  baseUrl: true,
  apiKeyEnv: true,
  modelDir: true,
  parameterCount: true,
  sizeOnDiskBytes: true,
  defaultSettings: true,
  promptTemplate: true,
  maxConcurrency: true,
  inputPricePerMTokens: true,
  outputPricePerMTokens: true,
  pricePerCpuHour: true,
} as const;

export function findSystem(id: string, db: DbOrTx = prisma) {
  return db.system.findUnique({ where: { id }, select: systemSelect });
}

export type SystemRow = NonNullable<Awaited<ReturnType<typeof findSystem>>>;

/**
 * A price change alters the cost column of every study that compares the system (as teacher or
 * student): stamping them makes their stored results out of date, so views queue a refresh.
 */
export function markResultsOfSystemChanged(systemId: string, db: DbOrTx = prisma) {
  return db.study.updateMany({
    where: { OR: [{ teacherSystemId: systemId }, { students: { some: { systemId } } }] },
    data: { resultsChangedAt: new Date() },
  });
}
