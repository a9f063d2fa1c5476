import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/lib/db";
import type { ParsedRow } from "./parse";
import { IMPORTED_SETTINGS_KEY } from "./schemas";

/**
 * Rows per statement. Each batch goes to PostgreSQL as one JSON text parameter expanded by
 * jsonb_to_recordset: two round trips per batch (items, outputs) instead of Prisma's per-batch
 * createMany, and only one batch's JSON is held at a time (about 1.5 MB for 5,000 rows).
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
 * A JSONL "\ud800" escape parses to a lone surrogate, which PostgreSQL refuses (the import then
 * failed whole, with Prisma's createMany as with this JSON); it is stored as U+FFFD instead, as
 * any UTF-8 decoder reads a broken character.
 */
function wellFormed(_key: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  const s = value as string & { isWellFormed(): boolean; toWellFormed(): string }; // ES2024, Node >= 20
  return s.isWellFormed() ? s : s.toWellFormed();
}

/** Inserts one batch of items and their imported outputs, inside the caller's transaction. */
export async function insertRows(tx: DbOrTx, args: InsertRowsArgs): Promise<{ outputsImported: number }> {
  const { evalSetId, rows: batch, position: start, systemIds } = args;
  const settings = JSON.stringify({ source: "import", filename: args.filename });
  let outputsImported = 0;
  // Item ids are made here so outputs can point at them without reading every item back.
  const ids = batch.map(() => randomUUID());
  const items = JSON.stringify(
    batch.map((r, j) => ({
      id: ids[j],
      externalId: r.itemId ?? String(r.line),
      position: start + j,
      source: r.source,
      refs: r.references,
      metadata: r.metadata,
    })),
    wellFormed,
  );
  await tx.$executeRaw`
      INSERT INTO "EvalItem" ("id", "evalSetId", "externalId", "position", "source", "references", "metadata")
      SELECT x.id, ${evalSetId}::uuid, x."externalId", x.position, x.source, x.refs, COALESCE(x.metadata, '{}'::jsonb)
      FROM jsonb_to_recordset(${items}::jsonb)
        AS x(id uuid, "externalId" text, position int, source text, refs text[], metadata jsonb)`;
  if (systemIds.size) {
    const outputs: { itemId: string; systemId: string; rank: number; text: string }[] = [];
    batch.forEach((r, j) => {
      for (const [system, texts] of Object.entries(r.outputs))
        texts.forEach((text, rank) => outputs.push({ itemId: ids[j], systemId: systemIds.get(system)!, rank, text }));
    });
    if (outputs.length) {
      await tx.$executeRaw`
          INSERT INTO "Output" ("id", "itemId", "systemId", "settingsKey", "settings", "rank", "text")
          SELECT gen_random_uuid(), x."itemId", x."systemId", ${IMPORTED_SETTINGS_KEY}, ${settings}::jsonb, x.rank, x.text
          FROM jsonb_to_recordset(${JSON.stringify(outputs, wellFormed)}::jsonb)
            AS x("itemId" uuid, "systemId" uuid, rank int, text text)`;
      outputsImported += outputs.length;
    }
  }
  return { outputsImported };
}
