import { readFileSync } from "node:fs";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";

/**
 * Describes a schema two ways in one shape, so a test can compare them: from schema.prisma
 * (through Prisma's own schema parser) and from a live database's catalog. Used to prove the
 * hand-written SQL migrations produce exactly what schema.prisma declares.
 */
export interface SchemaShape {
  enums: Record<string, string[]>;
  columns: Record<string, { type: string; nullable: boolean; hasDefault: boolean }>;
  primaryKeys: Record<string, string[]>;
  indexes: string[];
  foreignKeys: string[];
}

interface DmmfField {
  name: string;
  kind: string;
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: { name?: string } | unknown;
  nativeType?: [string, unknown[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}

const SCALAR_UDT: Record<string, string> = {
  String: "text",
  Int: "int4",
  Float: "float8",
  Boolean: "bool",
  DateTime: "timestamp",
  Json: "jsonb",
  BigInt: "int8",
  Bytes: "bytea",
};
const ON_DELETE: Record<string, string> = {
  Cascade: "CASCADE",
  SetNull: "SET NULL",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetDefault: "SET DEFAULT",
};

export function shapeFromPrismaSchema(schemaPath: string): SchemaShape {
  const schema = readFileSync(schemaPath, "utf8");
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schema]] }))).datamodel;
  const shape: SchemaShape = { enums: {}, columns: {}, primaryKeys: {}, indexes: [], foreignKeys: [] };
  for (const e of dmmf.enums) shape.enums[e.name] = e.values.map((v: { name: string }) => v.name);
  for (const model of dmmf.models) {
    for (const f of model.fields as DmmfField[]) {
      if (f.kind === "object") {
        if (f.relationFromFields?.length) {
          const onDelete = ON_DELETE[f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")];
          shape.foreignKeys.push(
            `${model.name}(${f.relationFromFields.join(",")}) -> ${f.type}(${f.relationToFields!.join(",")}) ON DELETE ${onDelete}`,
          );
        }
        continue;
      }
      let type = f.kind === "enum" ? f.type : SCALAR_UDT[f.type];
      if (f.nativeType?.[0] === "Uuid") type = "uuid";
      if (f.isList) type = `_${type}`;
      const dflt = f.default as { name?: string } | undefined;
      const hasDefault = f.hasDefaultValue && !(typeof dflt === "object" && dflt?.name === "uuid");
      shape.columns[`${model.name}.${f.name}`] = { type, nullable: f.isList || !f.isRequired, hasDefault };
    }
  }
  for (const idx of dmmf.indexes as { model: string; type: string; fields: { name: string }[] }[]) {
    const cols = idx.fields.map((f) => f.name).join(",");
    if (idx.type === "id") shape.primaryKeys[idx.model] = idx.fields.map((f) => f.name);
    else shape.indexes.push(`${idx.model}(${cols})${idx.type === "unique" ? " UNIQUE" : ""}`);
  }
  shape.indexes.sort();
  shape.foreignKeys.sort();
  return shape;
}

export async function shapeFromDatabase(url: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const shape: SchemaShape = { enums: {}, columns: {}, primaryKeys: {}, indexes: [], foreignKeys: [] };
    const enums = await client.query(`SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`);
    for (const r of enums.rows) (shape.enums[r.typname] ??= []).push(r.enumlabel);
    const cols =
      await client.query(`SELECT table_name, column_name, udt_name, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
    for (const r of cols.rows) {
      shape.columns[`${r.table_name}.${r.column_name}`] = {
        type: r.udt_name,
        nullable: r.is_nullable === "YES",
        hasDefault: r.column_default !== null,
      };
    }
    const idx = await client.query(`SELECT t.relname AS table, i.indisprimary AS pk, i.indisunique AS uniq,
        array_agg(a.attname::text ORDER BY k.ord) AS cols
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, i.indexrelid, i.indisprimary, i.indisunique`);
    for (const r of idx.rows) {
      if (r.pk) shape.primaryKeys[r.table] = r.cols;
      else shape.indexes.push(`${r.table}(${r.cols.join(",")})${r.uniq ? " UNIQUE" : ""}`);
    }
    const fks =
      await client.query(`SELECT c.conrelid::regclass::text AS tbl, c.confrelid::regclass::text AS ref, c.confdeltype,
        (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS cols,
        (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS refcols
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`);
    const action: Record<string, string> = {
      a: "NO ACTION",
      r: "RESTRICT",
      c: "CASCADE",
      n: "SET NULL",
      d: "SET DEFAULT",
    };
    const unquote = (s: string) => s.replace(/^"|"$/g, "");
    for (const r of fks.rows) {
      shape.foreignKeys.push(
        `${unquote(r.tbl)}(${r.cols.join(",")}) -> ${unquote(r.ref)}(${r.refcols.join(",")}) ON DELETE ${action[r.confdeltype]}`,
      );
    }
    shape.indexes.sort();
    shape.foreignKeys.sort();
    return shape;
  } finally {
    await client.end();
  }
}
