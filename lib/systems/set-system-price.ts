import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { inTransaction, recordAudit } from "@/lib/audit";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { requireId } from "@/lib/ids";
import { markResultsOfSystemChanged } from "./queries";

const price = (label: string) =>
  z.preprocess(
    (v) => {
      const s = typeof v === "string" ? v.trim() : v;
      return s === "" || s == null ? null : Number(s);
    },
    z
      .number(`${label} must be a number (or empty to clear it)`)
      .min(0, `${label} cannot be negative`)
      .max(1e6, `${label} must be at most 1,000,000`)
      .nullable(),
  );
export const SetSystemPriceInput = z.object({
  systemId: z.string(),
  inputPricePerMTokens: price("The input price per million tokens"),
  outputPricePerMTokens: price("The output price per million tokens"),
  /** ONNX students only; left out (undefined) keeps the stored one. */
  pricePerCpuHour: price("The price per CPU-hour").optional(),
});

export type SetSystemPriceValues = z.input<typeof SetSystemPriceInput>;

/** Zod's first complaint as the app's 422, naming the field, so the Systems page can say it. */
function parseInput(raw: unknown) {
  const parsed = SetSystemPriceInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
  throw new ValidationError(parsed.error.issues[0].message, fields);
}

/**
 * Admins set what a system costs (empty clears a price): per million input and output tokens, and
 * for ONNX students per CPU-hour. Audited; the stored results of the studies that use the system
 * become out of date, since their cost column changes.
 */
export async function setSystemPrice(actor: Actor | null, raw: SetSystemPriceValues, db: DbOrTx = prisma) {
  requirePermission(actor, "systems:manage");
  const input = parseInput(raw);
  const id = requireId(input.systemId, "system");
  const before = await db.system.findUnique({
    where: { id },
    select: { kind: true, inputPricePerMTokens: true, outputPricePerMTokens: true, pricePerCpuHour: true },
  });
  if (!before) throw new NotFoundError("No such system");
  if (input.pricePerCpuHour != null && before.kind !== "ONNX_MODEL")
    throw new ValidationError("Only ONNX students run on this machine's CPU: this system has no price per CPU-hour", {
      pricePerCpuHour: "only for ONNX students",
    });
  return inTransaction(db, async (tx) => {
    const after = await tx.system.update({
      where: { id },
      data: {
        inputPricePerMTokens: input.inputPricePerMTokens,
        outputPricePerMTokens: input.outputPricePerMTokens,
        ...(input.pricePerCpuHour !== undefined ? { pricePerCpuHour: input.pricePerCpuHour } : {}),
      },
      select: { id: true, inputPricePerMTokens: true, outputPricePerMTokens: true, pricePerCpuHour: true },
    });
    const { kind: _kind, ...was } = before;
    const { id: _id, ...now } = after;
    await recordAudit(
      { actor, action: "system.price", entityType: "system", entityId: id, before: was, after: now },
      tx,
    );
    await markResultsOfSystemChanged(id, tx);
    return after;
  });
}
