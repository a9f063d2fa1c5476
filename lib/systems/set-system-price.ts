import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { requireId } from "@/lib/ids";

const price = z.preprocess(
  (v) => (v === "" || v === null || v === undefined ? null : Number(v)),
  z.number("A price must be a number").min(0, "A price cannot be negative").max(1e6).nullable(),
);
export const SetSystemPriceInput = z.object({
  systemId: z.string(),
  inputPricePerMTokens: price,
  outputPricePerMTokens: price,
});

/** Admins set what a system costs per million input and output tokens (empty clears it); cost figures use it. */
export async function setSystemPrice(
  actor: Actor | null,
  raw: z.input<typeof SetSystemPriceInput>,
  db: DbOrTx = prisma,
) {
  requirePermission(actor, "systems:manage");
  const input = SetSystemPriceInput.parse(raw);
  const id = requireId(input.systemId, "system");
  const exists = await db.system.findUnique({ where: { id }, select: { id: true } });
  if (!exists) throw new NotFoundError("No such system");
  return db.system.update({
    where: { id },
    data: { inputPricePerMTokens: input.inputPricePerMTokens, outputPricePerMTokens: input.outputPricePerMTokens },
    select: { id: true, inputPricePerMTokens: true, outputPricePerMTokens: true },
  });
}
