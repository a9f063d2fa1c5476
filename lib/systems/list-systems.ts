import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { hasApiKey, maskBaseUrl } from "@/lib/llm";
import { systemSelect, type SystemRow } from "./queries";
import type { SystemView } from "./schemas";

export function toSystemView(s: SystemRow): SystemView {
  return {
    id: s.id,
    name: s.name,
    role: s.role,
    kind: s.kind,
    description: s.description,
    modelName: s.modelName,
    // Masked even though new URLs with credentials are refused: rows from before the rule.
    baseUrl: s.baseUrl === null ? null : maskBaseUrl(s.baseUrl),
    hasApiKey: s.kind === "LLM_API" ? hasApiKey(s) : null,
    modelDir: s.modelDir,
    parameterCount: s.parameterCount === null ? null : Number(s.parameterCount),
    sizeOnDiskBytes: s.sizeOnDiskBytes === null ? null : Number(s.sizeOnDiskBytes),
    defaultSettings: s.defaultSettings,
    promptTemplate: s.promptTemplate,
    maxConcurrency: s.maxConcurrency,
    apiKeyEnv: s.apiKeyEnv,
    inputPricePerMTokens: s.inputPricePerMTokens,
    outputPricePerMTokens: s.outputPricePerMTokens,
    pricePerCpuHour: s.pricePerCpuHour,
  };
}

/** Teachers first, then students, by name. */
export async function listSystems(actor: Actor | null, db: DbOrTx = prisma): Promise<SystemView[]> {
  requirePermission(actor, "systems:read");
  const rows = await db.system.findMany({
    where: { isActive: true },
    select: systemSelect,
    orderBy: [{ role: "asc" }, { name: "asc" }],
  });
  return rows.map(toSystemView);
}
