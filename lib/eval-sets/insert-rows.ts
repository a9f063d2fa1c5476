import { randomUUID } from "node:crypto";
import type { PgTx } from "@/lib/db";
import type { ParsedRow } from "./parse";
import { IMPORTED_SETTINGS_KEY } from "./schemas";

/**
 * Rows per statement. Each batch goes to PostgreSQL as one array parameter per column, expanded
 * by unnest: two round trips per batch (items, outputs). It goes through `pg` itself, not Prisma,
 * so nothing keeps a batch once it is stored (withPgTransaction says why).
 */
export const INSERT_BATCH = 5000;

export interface InsertRowsArgs {
  evalSetId: string;
  /** One batch (at most INSERT_BATCH rows), stored from `position` on. */
  rows: ParsedRow[];
  position: number;
  /** System ids by the name used in the file's output columns. */
  systemIds: Map<string, string>;
  filename: string;
}

/**
 * A JSONL "\ud800" escape parses to a lone surrogate, which PostgreSQL refuses in JSON (the import
 * then failed whole, with Prisma's createMany as with jsonb); it is stored as U+FFFD instead, as
 * any UTF-8 decoder reads a broken character.
 */
function wellFormed(value: string): string {
  const s = value as string & { isWellFormed(): boolean; toWellFormed(): string }; // ES2024, Node >= 20
  return s.isWellFormed() ? s : s.toWellFormed();
}
const wellFormedJson = (_key: string, value: unknown) => (typeof value === "string" ? wellFormed(value) : value);

/** Inserts one batch of items and their imported outputs, inside the caller's transaction. */
export async function insertRows(tx: PgTx, args: InsertRowsArgs): Promise<{ outputsImported: number }> {
  const { evalSetId, rows: batch, position: start, systemIds } = args;
  // Item ids are made here so outputs can point at them without reading every item back.
  const ids = batch.map(() => randomUUID());
  // References are a list per item: unnest flattens a two-dimensional array, so each goes as JSON.
  await tx.query(
    `INSERT INTO "EvalItem" ("id", "evalSetId", "externalId", "position", "source", "references", "metadata")
     SELECT x.id, $1::uuid, x.ext, $2::int + x.n - 1, x.source,
            ARRAY(SELECT r.v FROM jsonb_array_elements_text(x.refs::jsonb) WITH ORDINALITY AS r(v, i) ORDER BY r.i),
            x.metadata::jsonb
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
       WITH ORDINALITY AS x(id, ext, source, refs, metadata, n)`,
    [
      evalSetId,
      start,
      ids,
      batch.map((r) => wellFormed(r.itemId ?? String(r.line))),
      batch.map((r) => wellFormed(r.source)),
      batch.map((r) => JSON.stringify(r.references, wellFormedJson)),
      batch.map((r) => JSON.stringify(r.metadata, wellFormedJson)),
    ],
  );
  const itemIds: string[] = [];
  const systems: string[] = [];
  const ranks: number[] = [];
  const texts: string[] = [];
  batch.forEach((r, j) => {
    for (const [system, outs] of Object.entries(r.outputs))
      outs.forEach((text, rank) => {
        itemIds.push(ids[j]);
        systems.push(systemIds.get(system)!);
        ranks.push(rank);
        texts.push(wellFormed(text));
      });
  });
  if (texts.length)
    await tx.query(
      `INSERT INTO "Output" ("id", "itemId", "systemId", "settingsKey", "settings", "rank", "text")
       SELECT gen_random_uuid(), x.item, x.system, $1, $2::jsonb, x.rank, x.text
       FROM unnest($3::uuid[], $4::uuid[], $5::int[], $6::text[]) AS x(item, system, rank, text)`,
      [
        IMPORTED_SETTINGS_KEY,
        JSON.stringify({ source: "import", filename: args.filename }, wellFormedJson),
        itemIds,
        systems,
        ranks,
        texts,
      ],
    );
  return { outputsImported: texts.length };
}
