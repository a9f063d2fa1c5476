import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { auditEventsFor } from "@/lib/audit";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { setSystemPrice } from "./index";

let admin: Actor;
let researcher: Actor;
const systemIds: string[] = [];
const makeSystem = async (kind: "ONNX_MODEL" | "LLM_API") => {
  const s = await prisma.system.create({
    data: { name: uniq(`price ${kind}`), role: kind === "ONNX_MODEL" ? "STUDENT" : "TEACHER", kind },
    select: { id: true },
  });
  systemIds.push(s.id);
  return s.id;
};
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  researcher = await makeUser("RESEARCHER");
});
afterAll(async () => {
  await prisma.auditEvent.deleteMany({ where: { entityType: "system", entityId: { in: systemIds } } });
  await prisma.system.deleteMany({ where: { id: { in: systemIds } } });
  await deleteUsers(admin.id, researcher.id);
});

const cpuPrice = async (id: string) =>
  (await prisma.system.findUniqueOrThrow({ where: { id }, select: { pricePerCpuHour: true } })).pricePerCpuHour;

describe("setSystemPrice: price per CPU-hour", () => {
  it("lets an admin set and clear an ONNX student's price per CPU-hour, audited, beside its token prices", async () => {
    const id = await makeSystem("ONNX_MODEL");
    // As the Systems page sends it: text from the form.
    const saved = await setSystemPrice(admin, {
      systemId: id,
      inputPricePerMTokens: "",
      outputPricePerMTokens: "",
      pricePerCpuHour: "0.09",
    });
    expect(saved).toMatchObject({ pricePerCpuHour: 0.09, inputPricePerMTokens: null, outputPricePerMTokens: null });
    expect(await cpuPrice(id)).toBe(0.09);
    // Leaving it out (a token-only form) keeps it; empty clears it.
    await setSystemPrice(admin, { systemId: id, inputPricePerMTokens: 1, outputPricePerMTokens: 2 });
    expect(await cpuPrice(id)).toBe(0.09);
    await setSystemPrice(admin, {
      systemId: id,
      inputPricePerMTokens: 1,
      outputPricePerMTokens: 2,
      pricePerCpuHour: "",
    });
    expect(await cpuPrice(id)).toBeNull();

    const trail = await auditEventsFor({ entityType: "system", entityId: id });
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ["system.price", admin.id],
      ["system.price", admin.id],
      ["system.price", admin.id],
    ]);
    expect(trail[0].before).toMatchObject({ pricePerCpuHour: null });
    expect(trail[0].after).toMatchObject({ pricePerCpuHour: 0.09 });
    expect(trail[2].before).toMatchObject({ pricePerCpuHour: 0.09, inputPricePerMTokens: 1 });
    expect(trail[2].after).toMatchObject({ pricePerCpuHour: null });
  });

  it("refuses a researcher, and a bad value with a 422 that names the price", async () => {
    const id = await makeSystem("ONNX_MODEL");
    const input = { systemId: id, inputPricePerMTokens: "", outputPricePerMTokens: "" };
    await expect(setSystemPrice(researcher, { ...input, pricePerCpuHour: 1 })).rejects.toBeInstanceOf(ForbiddenError);
    for (const [bad, message] of [
      ["-1", "The price per CPU-hour cannot be negative"],
      ["abc", "The price per CPU-hour must be a number (or empty to clear it)"],
      ["2e6", "The price per CPU-hour must be at most 1,000,000"],
    ]) {
      const err = await setSystemPrice(admin, { ...input, pricePerCpuHour: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ status: 422, message, fields: { pricePerCpuHour: message } });
    }
    // A hosted teacher does not run on this machine's CPU.
    const teacher = await makeSystem("LLM_API");
    await expect(setSystemPrice(admin, { ...input, systemId: teacher, pricePerCpuHour: 1 })).rejects.toThrow(
      /Only ONNX students/,
    );
    expect(await cpuPrice(id)).toBeNull();
    expect(await cpuPrice(teacher)).toBeNull();
    expect(await auditEventsFor({ entityType: "system", entityId: id })).toEqual([]);
  });
});
