import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { ConflictError } from "@/lib/errors";
import { prisma, type DbOrTx } from "@/lib/db";
import { inTransaction, recordAudit } from "@/lib/audit";
import { CreateTeacherSystemInput, type SystemView } from "./schemas";
import { systemSelect } from "./queries";
import { toSystemView } from "./list-systems";

/** Admins register a teacher LLM: any OpenAI-compatible chat-completions endpoint. */
export async function createTeacherSystem(
  actor: Actor | null,
  raw: CreateTeacherSystemInput,
  db: DbOrTx = prisma,
): Promise<SystemView> {
  requirePermission(actor, "systems:manage");
  const input = CreateTeacherSystemInput.parse(raw);
  if (await db.system.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new ConflictError(`A system named "${input.name}" already exists`);
  }
  const row = await inTransaction(db, async (tx) => {
    const created = await tx.system.create({
      data: {
        name: input.name,
        role: "TEACHER",
        kind: "LLM_API",
        baseUrl: input.baseUrl,
        modelName: input.modelName,
        apiKeyEnv: input.apiKeyEnv,
        promptTemplate: input.promptTemplate,
        maxConcurrency: input.maxConcurrency,
        defaultSettings: { n: input.n, temperature: input.temperature },
        description: `OpenAI-compatible chat endpoint, model ${input.modelName}`,
      },
      select: systemSelect,
    });
    await recordAudit(
      {
        actor,
        action: "system.create",
        entityType: "system",
        entityId: created.id,
        after: {
          name: created.name,
          baseUrl: created.baseUrl,
          modelName: created.modelName,
          apiKeyEnv: created.apiKeyEnv,
        },
      },
      tx,
    );
    return created;
  });
  return toSystemView(row);
}
