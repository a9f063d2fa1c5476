import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { openAsBlob } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getLogs } from "@prisma/debug";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { importEvalSet } from "./import-eval-set";
import { getImportProgress } from "./import-progress";
import { INSERT_BATCH } from "./insert-rows";
import type { ImportProgress } from "./schemas";

let admin: Actor;
const names: string[] = [];
const systemNames: string[] = [];
const enc = (s: string) => new TextEncoder().encode(s);
const execFileAsync = promisify(execFile);

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
      Array.from({ length: INSERT_BATCH + 5 }, (_, i) => `r${i},Sentence ${i}.,Output ${i}.`).join("\n");
    const n = name();
    const r = await importEvalSet(admin, { name: n, filename: "big.csv", bytes: enc(csv) });
    expect(r).toMatchObject({ importedCount: INSERT_BATCH + 5, outputsImported: INSERT_BATCH + 5 });
    const outputs = await prisma.output.findMany({
      where: { item: { evalSetId: r.evalSetId } },
      select: { text: true, item: { select: { externalId: true, position: true } } },
    });
    expect(outputs).toHaveLength(INSERT_BATCH + 5);
    for (const o of outputs) expect(o.text).toBe(`Output ${o.item.position}.`);
    expect(outputs.find((o) => o.item.externalId === `r${INSERT_BATCH + 3}`)?.text).toBe(`Output ${INSERT_BATCH + 3}.`);
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

  it("leaves nothing written when a bad row comes after a whole batch was stored", async () => {
    // The file is stored as it is read, so the first batch is in the database before the bad row,
    // several chunks further on, is read: the transaction must take it back out.
    const n = name();
    const student = uniq("t5");
    systemNames.push(student);
    const bad = INSERT_BATCH + 3000;
    const jsonl = Array.from({ length: INSERT_BATCH + 3100 }, (_, i) =>
      JSON.stringify({
        id: `r${i}`,
        source: `Sentence ${i}.`,
        outputs: { [student]: i === bad ? "bad\u0000" : `Out ${i}.` },
      }),
    ).join("\n");
    const seen: ImportProgress[] = [];
    await expect(
      importEvalSet(admin, { name: n, filename: "x.jsonl", bytes: enc(jsonl) }, prisma, (p) => seen.push(p)),
    ).rejects.toMatchObject({ status: 422, fields: { [`line ${bad + 1}`]: expect.stringMatching(/NUL character/) } });
    expect(seen).toContainEqual(expect.objectContaining({ phase: "inserting", done: INSERT_BATCH }));
    expect(seen.at(-1)?.phase).toBe("failed");
    expect(await storedFor(n)).toBeNull();
    expect(await prisma.system.findUnique({ where: { name: student } })).toBeNull();
  });

  it("reports progress by batch, readable by the importing admin under the page's upload id", async () => {
    const n = name();
    const uploadId = crypto.randomUUID();
    const rows = INSERT_BATCH + 7;
    const csv = "source\n" + Array.from({ length: rows }, (_, i) => `Sentence ${i}.`).join("\n");
    const seen: ImportProgress[] = [];
    const running = importEvalSet(admin, { name: n, filename: "x.csv", bytes: enc(csv), uploadId }, prisma, (p) =>
      seen.push(p),
    );
    await running;
    // Rows are stored as the file is read, so until the end the total is estimated from the bytes read.
    expect(seen).toEqual([
      { phase: "parsing", done: 0, total: 0 },
      { phase: "inserting", done: INSERT_BATCH, total: expect.any(Number) },
      { phase: "inserting", done: rows, total: rows },
      { phase: "done", done: rows, total: rows },
    ]);
    expect(Math.abs(seen[1].total - rows)).toBeLessThan(rows * 0.05);
    await expect(getImportProgress(admin, uploadId)).resolves.toEqual({ phase: "done", done: rows, total: rows });
    const other = await makeUser("ADMIN");
    try {
      await expect(getImportProgress(other, uploadId)).rejects.toThrow(/no import/i);
    } finally {
      await deleteUsers(other.id);
    }
    await expect(getImportProgress(admin, crypto.randomUUID())).rejects.toThrow(/no import/i);
    await expect(getImportProgress(admin, "not-a-uuid")).rejects.toThrow(/no import/i);
  });

  it("shows progress to another process while the import runs, before anything is committed", async () => {
    const n = name();
    const uploadId = crypto.randomUUID();
    const rows = INSERT_BATCH + 10;
    const head = enc("source\n" + Array.from({ length: rows }, (_, i) => `Sentence ${i}.`).join("\n") + "\n");
    const tail = enc("Last one.\n");
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The upload's second part arrives only when the test opens the gate: the first batch is stored by then.
    class GatedFile extends Blob {
      stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
        return new ReadableStream({
          async start(c) {
            c.enqueue(head);
            await gate;
            c.enqueue(tail);
            c.close();
          },
        });
      }
    }
    const seen: ImportProgress[] = [];
    const running = importEvalSet(
      admin,
      { name: n, filename: "x.csv", file: new GatedFile([head, tail]), uploadId },
      prisma,
      (p) => seen.push(p),
    );
    const fromAnotherProcess = async () => {
      const { stdout } = await execFileAsync(
        process.execPath,
        ["--import", "tsx", "lib/eval-sets/testing/read-import-progress.ts", JSON.stringify(admin), uploadId],
        { env: { ...process.env } },
      );
      return JSON.parse(stdout.trim().split("\n").at(-1)!);
    };
    try {
      await expect.poll(() => seen.at(-1)?.phase, { timeout: 30_000 }).toBe("inserting");
      await expect
        .poll(fromAnotherProcess, { timeout: 30_000, interval: 200 })
        .toEqual({ phase: "inserting", done: INSERT_BATCH, total: expect.any(Number) });
      // All or nothing: the stored batch is not visible to anyone until the import commits.
      expect(await storedFor(n)).toBeNull();
    } finally {
      open();
    }
    expect((await running).importedCount).toBe(rows + 1);
    expect(await fromAnotherProcess()).toEqual({ phase: "done", done: rows + 1, total: rows + 1 });
    expect(await storedFor(n)).toEqual({ _count: { items: rows + 1 } });
  });

  it("finishes as many imports at once as the pool has connections, each holding one and writing its progress", async () => {
    // Each import holds a connection for its transaction and needs another for its progress: had
    // it waited for those writes, the imports would wait on each other for ever.
    const count = env().DATABASE_POOL_SIZE;
    const rows = INSERT_BATCH + 5;
    const csv = enc("source\n" + Array.from({ length: rows }, (_, i) => `Sentence ${i}.`).join("\n") + "\n");
    const uploads = Array.from({ length: count }, () => ({ n: name(), uploadId: crypto.randomUUID() }));
    const results = await Promise.all(
      uploads.map(({ n, uploadId }) => importEvalSet(admin, { name: n, filename: "x.csv", bytes: csv, uploadId })),
    );
    expect(results.map((r) => r.importedCount)).toEqual(uploads.map(() => rows));
    for (const { uploadId } of uploads)
      await expect(getImportProgress(admin, uploadId)).resolves.toEqual({ phase: "done", done: rows, total: rows });
  });

  it("keeps no batch in Prisma's debug history (it holds the arguments of its last 100 queries)", async () => {
    const n = name();
    const marker = `marker-${crypto.randomUUID()}`;
    const rows = INSERT_BATCH + 10;
    const csv = "source\n" + Array.from({ length: rows }, (_, i) => `${marker} ${i}.`).join("\n") + "\n";
    const r = await importEvalSet(admin, { name: n, filename: "x.csv", bytes: enc(csv) });
    expect(r.importedCount).toBe(rows);
    expect(await prisma.evalItem.count({ where: { evalSetId: r.evalSetId, source: { startsWith: marker } } })).toBe(
      rows,
    );
    // Only the count above, whose argument is the marker alone, may show it.
    expect(getLogs(Number.MAX_SAFE_INTEGER).split(marker).length - 1).toBeLessThanOrEqual(1);
  });

  it("stores a lone UTF-16 surrogate escaped in JSONL as U+FFFD instead of failing the import", async () => {
    const n = name();
    const line = JSON.stringify({ source: "Broken \ud800 here.", reference: "Fine \udc00." });
    const r = await importEvalSet(admin, { name: n, filename: "x.jsonl", bytes: enc(line + "\n") });
    const item = await prisma.evalItem.findFirstOrThrow({ where: { evalSetId: r.evalSetId } });
    expect(item.source).toBe("Broken \ufffd here.");
    expect(item.references).toEqual(["Fine \ufffd."]);
  });
});

describe("a NUL character in a value (PostgreSQL cannot store U+0000)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "eval-set-nul-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  /** The file as a user saved it, read back as the upload action receives it. */
  async function saved(filename: string, text: string) {
    const path = join(dir, filename);
    await writeFile(path, text);
    return path;
  }
  /** Eight lines, the seventh holding `bad`: JSONL objects, or a CSV header and seven rows. */
  const lines = (bad: string) => Array.from({ length: 8 }, (_, i) => (i === 6 ? bad : `Sentence ${i + 1}.`));
  const jsonl = (bad: string) =>
    lines(bad)
      .map((s) => `{"source": "${s}"}`)
      .join("\n");
  const csv = (bad: string) => ["source", ...lines(bad).slice(1)].join("\n");
  const message = "Line 7, field source: contains a NUL character (\\u0000), which cannot be stored; remove it.";

  it.each([
    ["a \\u0000 escape in JSONL", "set.jsonl", jsonl("Bad \\u0000 one.")],
    ["a raw NUL byte in JSONL", "set.jsonl", jsonl("Bad \u0000 one.")],
    ["a raw NUL byte in CSV", "set.csv", csv("Bad \u0000 one.")],
  ])("refuses %s with the line and field, storing nothing", async (_label, filename, text) => {
    const n = name();
    const bytes = await readFile(await saved(filename, text));
    await expect(importEvalSet(admin, { name: n, filename, bytes })).rejects.toMatchObject({
      status: 422,
      fields: { "line 7": message },
    });
    expect(await storedFor(n)).toBeNull();
  });

  it("drops only the row with the NUL when asked to, reading the saved file as a stream", async () => {
    const n = name();
    const path = await saved("set.jsonl", jsonl("Bad \\u0000 one."));
    const r = await importEvalSet(admin, {
      name: n,
      filename: "set.jsonl",
      file: await openAsBlob(path),
      dropBadRows: true,
    });
    expect(r).toMatchObject({ importedCount: 7, droppedLines: [7] });
  });
});
