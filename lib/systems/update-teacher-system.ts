import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { inTransaction, recordAudit } from "@/lib/audit";
import { requireId } from "@/lib/ids";
import { UpdateTeacherSystemInput, type SystemView } from "./schemas";
import { systemSelect } from "./queries";
import { toSystemView } from "./list-systems";

/**
 * Admins edit a teacher's endpoint, prompt template, N and temperature. Outputs already made
 * keep the settings they were made with (each stores its own), so nothing stored changes meaning.
 */
export async function updateTeacherSystem(
  actor: Actor | null,
  raw: UpdateTeacherSystemInput,
  db: DbOrTx = prisma,
): Promise<SystemView> {
  requirePermission(actor, "systems:manage");
  const input = UpdateTeacherSystemInput.parse(raw);
  const existing = await db.system.findUnique({
    where: { id: requireId(input.id, "system") },
    select: {
      kind: true,
      baseUrl: true,
      modelName: true,
      apiKeyEnv: true,
      maxConcurrency: true,
      defaultSettings: true,
    },
  });
  if (!existing) throw new NotFoundError("No such system");
  if (existing.kind !== "LLM_API")
    throw new ValidationError("Only LLM endpoint systems have a prompt and endpoint to edit");
  const row = await inTransaction(db, async (tx) => {
    const updated = await tx.system.update({
      where: { id: input.id },
      data: {
        baseUrl: input.baseUrl,
        modelName: input.modelName,
        apiKeyEnv: input.apiKeyEnv,
        promptTemplate: input.promptTemplate,
        maxConcurrency: input.maxConcurrency,
        defaultSettings: { n: input.n, temperature: input.temperature },
      },
      select: systemSelect,
    });
    const { kind: _kind, ...before } = existing;
    await recordAudit(
      {
        actor,
        action: "system.update",
        entityType: "system",
        entityId: updated.id,
        before,
        after: {
          baseUrl: updated.baseUrl,
          modelName: updated.modelName,
          apiKeyEnv: updated.apiKeyEnv,
          maxConcurrency: updated.maxConcurrency,
          defaultSettings: updated.defaultSettings,
        },
      },
      tx,
    );
    return updated;
  });
  return toSystemView(row);
}
