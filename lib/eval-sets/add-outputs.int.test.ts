import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { addOutputs, previewAddOutputs } from "./add-outputs";
import { importEvalSet } from "./import-eval-set";

let admin: Actor;
let researcher: Actor;
let evalSetId: string;
const setName = uniq("set");
const systemNames: string[] = [];
const enc = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  researcher = await makeUser("RESEARCHER");
  const csv = "id,source\na1,The cat sat on the mat.\na2,He left early.\na3,It rained all day.\n";
  evalSetId = (await importEvalSet(admin, { name: setName, filename: "set.csv", bytes: enc(csv) })).evalSetId;
});
afterAll(async () => {
  await prisma.evalSet.deleteMany({ where: { name: setName } });
  await prisma.system.deleteMany({ where: { name: { in: systemNames } } });
  await deleteUsers(admin.id, researcher.id);
});

describe("adding outputs to an existing eval set", () => {
  it("previews like a new set, with a line-numbered error for an unknown id and a warning for a changed source", async () => {
    const sys = uniq("gpt");
    const csv =
      `id,source,output:${sys}\n` +
      "a1,The cat sat on the mat.,A cat sat on the mat.\n" +
      "zz,Nothing like it.,Nope.\n" +
      "a2,He left early!,He went early.\n";
    const p = await previewAddOutputs(admin, { evalSetId, filename: "more.csv", bytes: enc(csv) });
    expect(p.rows.map((r) => r.itemId)).toEqual(["a1", "zz", "a2"]);
    expect(p.systems).toEqual([sys]);
    expect(p.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, severity: "error", message: 'No item with id "zz" in this eval set.' }),
        expect.objectContaining({ line: 4, severity: "warning", message: expect.stringMatching(/source differs/) }),
      ]),
    );
    expect(p.errorCount).toBe(1);
    // Nothing stored by a preview; an error blocks unless the admin drops the bad rows
    expect(await prisma.system.count({ where: { name: sys } })).toBe(0);
    await expect(addOutputs(admin, { evalSetId, filename: "more.csv", bytes: enc(csv) })).rejects.toMatchObject({
      status: 422,
      fields: { "line 3": 'No item with id "zz" in this eval set.' },
    });
  });

  it("adds each row's outputs to the item with its id, and a second upload of the same file adds nothing", async () => {
    const teacher = uniq("gpt");
    systemNames.push(teacher);
    const csv =
      `id,source,output:${teacher}\n` +
      "a2,He left early.,He went away early.\n" +
      "zz,Nothing like it.,Nope.\n" +
      "a1,The cat sat on the mat.,A cat was on the mat.\n";
    const input = { evalSetId, filename: "more.csv", bytes: enc(csv), dropBadRows: true, teacherSystems: [teacher] };
    const r = await addOutputs(admin, input);
    expect(r).toMatchObject({ matchedItems: 2, droppedLines: [3], outputsAdded: 2, outputsAlreadyPresent: 0 });
    expect(r.systems).toEqual([{ name: teacher, role: "TEACHER", created: true }]);
    const stored = await prisma.output.findMany({
      where: { system: { name: teacher } },
      select: { text: true, item: { select: { externalId: true, evalSetId: true } } },
      orderBy: { item: { position: "asc" } },
    });
    expect(stored.map((o) => [o.item.externalId, o.text])).toEqual([
      ["a1", "A cat was on the mat."],
      ["a2", "He went away early."],
    ]);
    expect(stored.every((o) => o.item.evalSetId === evalSetId)).toBe(true);
    expect(await prisma.evalItem.count({ where: { evalSetId } })).toBe(3); // no item was created
    expect(await addOutputs(admin, input)).toMatchObject({ outputsAdded: 0, outputsAlreadyPresent: 2 });
  });

  it("refuses a file without an id or an output column, and researchers", async () => {
    await expect(
      addOutputs(admin, { evalSetId, filename: "x.csv", bytes: enc("source,output:x\nThe cat sat on the mat.,y\n") }),
    ).rejects.toMatchObject({ fields: { "line 2": expect.stringMatching(/No item id/) } });
    await expect(
      addOutputs(admin, { evalSetId, filename: "x.csv", bytes: enc("id,source\na1,The cat sat on the mat.\n") }),
    ).rejects.toMatchObject({ fields: { file: expect.stringMatching(/no output column/) } });
    await expect(
      previewAddOutputs(researcher, { evalSetId, filename: "x.csv", bytes: enc("id,source\n") }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("names the line and field of a NUL character in an output, in CSV and JSONL, and adds nothing", async () => {
    const sys = uniq("gpt");
    const dir = await mkdtemp(join(tmpdir(), "add-outputs-nul-"));
    try {
      const files = {
        "more.csv": `id,source,output:${sys}\na1,The cat sat on the mat.,A cat.\na2,He left early.,He \u0000 went.\n`,
        "more.jsonl":
          `{"id": "a3", "source": "It rained all day.", "outputs": {"${sys}": "Rain."}}\n` +
          `{"id": "a1", "source": "The cat sat on the mat.", "outputs": {"${sys}": "A cat."}}\n` +
          `{"id": "a2", "source": "He left early.", "outputs": {"${sys}": "He \\u0000 went."}}\n`,
      };
      const fields = { "more.csv": `output:${sys}`, "more.jsonl": `outputs.${sys}` };
      for (const [filename, text] of Object.entries(files)) {
        await writeFile(join(dir, filename), text); // as a user saves it
        const bytes = await readFile(join(dir, filename));
        const message = `Line 3, field ${fields[filename as keyof typeof fields]}: contains a NUL character (\\u0000), which cannot be stored; remove it.`;
        const p = await previewAddOutputs(admin, { evalSetId, filename, bytes });
        expect(p.problems).toContainEqual(expect.objectContaining({ line: 3, severity: "error", message }));
        await expect(addOutputs(admin, { evalSetId, filename, bytes })).rejects.toMatchObject({
          status: 422,
          fields: { "line 3": message },
        });
      }
      expect(await prisma.system.count({ where: { name: sys } })).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
