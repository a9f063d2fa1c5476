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
} as const;

export function findSystem(id: string, db: DbOrTx = prisma) {
  return db.system.findUnique({ where: { id }, select: systemSelect });
}

export type SystemRow = NonNullable<Awaited<ReturnType<typeof findSystem>>>;
