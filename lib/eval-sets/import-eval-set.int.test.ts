import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { importEvalSet } from "./import-eval-set";

let admin: Actor;
const names: string[] = [];
const systemNames: string[] = [];
const enc = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  admin = await makeUser("ADMIN");
});
afterAll(async () => {
  await prisma.evalSet.deleteMany({ where: { name: { in: names } } });
  await prisma.system.deleteMany({ where: { name: { in: systemNames } } });
  await deleteUsers(admin.id);
});

function name() {
  const n = uniq("set");
  names.push(n);
  return n;
}

async function storedFor(n: string) {
  return prisma.evalSet.findUnique({ where: { name: n }, select: { _count: { select: { items: true } } } });
}

describe("importing an eval set", () => {
  it("stores items, references, metadata and outputs made elsewhere", async () => {
    const teacher = uniq("gpt");
    const student = uniq("t5");
    systemNames.push(teacher, student);
    const csv =
      `id,source,reference,output:${teacher},output:${student},domain\n` +
      `a1,The cat sat on the mat.,A cat was sitting on the mat.,The mat had a cat on it.,The cat sat on a mat.,news\n` +
      `a2,"He left early, because it rained.",,"Because it rained, he left early.",He went early.,wiki\n`;
    const n = name();
    const r = await importEvalSet(admin, { name: n, filename: "set.csv", bytes: enc(csv), teacherSystems: [teacher] });
    expect(r).toMatchObject({ importedCount: 2, droppedCount: 0, outputsImported: 4 });
    expect(r.systems).toEqual([
      { name: teacher, role: "TEACHER", created: true },
      { name: student, role: "STUDENT", created: true },
    ]);
    const items = await prisma.evalItem.findMany({
      where: { evalSetId: r.evalSetId },
      orderBy: { position: "asc" },
      include: { outputs: { include: { system: true } } },
    });
    expect(items.map((i) => i.externalId)).toEqual(["a1", "a2"]);
    expect(items[0].references).toEqual(["A cat was sitting on the mat."]);
    expect(items[1].source).toBe("He left early, because it rained.");
    expect(items[0].metadata).toEqual({ domain: "news" });
    expect(items[1].outputs.find((o) => o.system.name === teacher)?.text).toBe("Because it rained, he left early.");
  });

  it("attaches each row's outputs to its own item across insert batches", async () => {
    const student = uniq("t5");
    systemNames.push(student);
    const csv =
      `id,source,output:${student}\n` +
      Array.from({ length: 1005 }, (_, i) => `r${i},Sentence ${i}.,Output ${i}.`).join("\n");
    const n = name();
    const r = await importEvalSet(admin, { name: n, filename: "big.csv", bytes: enc(csv) });
    expect(r).toMatchObject({ importedCount: 1005, outputsImported: 1005 });
    const outputs = await prisma.output.findMany({
      where: { item: { evalSetId: r.evalSetId } },
      select: { text: true, item: { select: { externalId: true, position: true } } },
    });
    expect(outputs).toHaveLength(1005);
    for (const o of outputs) expect(o.text).toBe(`Output ${o.item.position}.`);
    expect(outputs.find((o) => o.item.externalId === "r1003")?.text).toBe("Output 1003.");
  });

  it("stores nothing when a row has an error, and says which line", async () => {
    const n = name();
    const csv = "id,source\n1,Fine sentence.\n2,\n3,Another one.\n";
    await expect(importEvalSet(admin, { name: n, filename: "x.csv", bytes: enc(csv) })).rejects.toMatchObject({
      status: 422,
      fields: expect.objectContaining({ "line 3": expect.stringMatching(/source/i) }),
    });
    expect(await storedFor(n)).toBeNull();
  });

  it("reports every problem of a line, not only the last", async () => {
    const n = name();
    const err = await importEvalSet(admin, {
      name: n,
      filename: "x.csv",
      bytes: enc("id,source\n1,Fine sentence.\n1,\n"),
    }).catch((e) => e);
    expect(err.status).toBe(422);
    expect(err.fields["line 3"]).toMatch(/no source sentence/);
    expect(err.fields["line 3"]).toMatch(/already used on line 2/);
  });

  it("drops the bad rows and imports the rest when asked", async () => {
    const n = name();
    const csv = "id,source\n1,Fine sentence.\n2,\n3,Another one.\n";
    const r = await importEvalSet(admin, { name: n, filename: "x.csv", bytes: enc(csv), dropBadRows: true });
    expect(r).toMatchObject({ importedCount: 2, droppedCount: 1, droppedLines: [3] });
    expect((await storedFor(n))?._count.items).toBe(2);
  });

  it.each([
    ["an empty file", "empty.csv", new Uint8Array(), /empty/i],
    ["a binary file", "x.csv", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 1]), /binary/i],
    ["wrong columns", "x.csv", enc("text_a,text_b\nfoo,bar\n"), /source/i],
    ["malformed CSV", "x.csv", enc('source\n"unterminated quote\nnext\n'), /quote/i],
    ["one line of 10 MB", "x.csv", enc(`source\n${"a".repeat(10 * 1024 * 1024)}\n`), /the limit is 10,485,760 bytes/],
  ])("refuses %s with a clear message and stores nothing", async (_label, filename, bytes, message) => {
    const n = name();
    const err = await importEvalSet(admin, { name: n, filename, bytes, dropBadRows: true }).catch((e) => e);
    expect(err.status).toBe(422);
    expect(`${err.message} ${JSON.stringify(err.fields)}`).toMatch(message);
    expect(await storedFor(n)).toBeNull();
  });

  it("accepts mixed line endings and a BOM", async () => {
    const n = name();
    const r = await importEvalSet(admin, {
      name: n,
      filename: "x.csv",
      bytes: enc("\uFEFFsource\r\nOne.\nTwo.\rThree.\r\n"),
    });
    expect(r.importedCount).toBe(3);
  });

  it("refuses a name that is taken, keeping the first set intact", async () => {
    const n = name();
    await importEvalSet(admin, { name: n, filename: "x.tsv", bytes: enc("source\nOne.\n") });
    await expect(
      importEvalSet(admin, { name: n, filename: "x.tsv", bytes: enc("source\nTwo.\nThree.\n") }),
    ).rejects.toThrow(/already exists/);
    expect((await storedFor(n))?._count.items).toBe(1);
  });
});
