import { discoverModels } from "@/lib/inference";
import { prisma, type DbOrTx } from "@/lib/db";

/**
 * Registers every complete model folder in models/ as a student system (name = folder name),
 * refreshing its parameter count and size. Folders that disappeared are left in place: their
 * outputs and studies still refer to them.
 */
export async function syncStudentSystems(db: DbOrTx = prisma, modelsDir?: string) {
  const { models, incomplete } = await discoverModels(modelsDir);
  for (const m of models) {
    const data = {
      modelDir: m.name,
      parameterCount: BigInt(m.parameterCount),
      sizeOnDiskBytes: BigInt(m.sizeOnDiskBytes),
      // what will run: files, precision, cache (lib/inference decides and says it)
      description: m.description,
      // generation_config.json's decoding settings: they apply wherever a job sets nothing
      defaultSettings: m.generationDefaults,
    };
    const existing = await db.system.findUnique({ where: { name: m.name }, select: { id: true, kind: true } });
    if (!existing)
      await db.system.create({
        data: { name: m.name, role: "STUDENT", kind: "ONNX_MODEL", ...data },
        select: { id: true },
      });
    else if (existing.kind === "ONNX_MODEL")
      await db.system.update({ where: { id: existing.id }, data, select: { id: true } });
  }
  return { models: models.map((m) => m.name), incomplete };
}
