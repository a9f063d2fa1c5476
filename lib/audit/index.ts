import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db, type DbOrTx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** What changed, by whom; `before` and `after` hold the changed fields only, never secrets. */
export interface AuditEntry {
  actor: Pick<Actor, "id"> | null;
  action: string;
  entityType: "study" | "user" | "system" | "eval-set";
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditEventView {
  id: string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

const json = (v: Record<string, unknown> | null | undefined) =>
  v == null ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue);

/**
 * Writes one audit row. Pass the transaction the change runs in, so the row exists exactly
 * when the change does: a rolled-back change leaves no record and a committed one always has one.
 */
export async function recordAudit(entry: AuditEntry, tx: DbOrTx): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: entry.actor?.id ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: json(entry.before),
      after: json(entry.after),
    },
    select: { id: true },
  });
}

/**
 * Runs `fn` in a transaction: a new one on a client, or the caller's when `db` already is one,
 * so a change and its audit row commit or roll back together either way.
 */
export function inTransaction<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  const client = db as Partial<Db>;
  if (typeof client.$transaction !== "function") return fn(db);
  return (client.$transaction as unknown as (f: (tx: DbOrTx) => Promise<T>) => Promise<T>)(fn);
}

/**
 * Events about one thing, oldest first; with `last`, only the newest `last` events, newest first.
 * Callers check who may read them (a study's owner: lib/studies).
 */
export async function auditEventsFor(
  entity: { entityType: AuditEntry["entityType"]; entityId: string },
  db: DbOrTx = prisma,
  opts: { last?: number } = {},
): Promise<AuditEventView[]> {
  const rows = await db.auditEvent.findMany({
    where: entity,
    orderBy: opts.last ? [{ createdAt: "desc" }, { id: "desc" }] : { createdAt: "asc" },
    ...(opts.last ? { take: opts.last } : {}),
    select: {
      id: true,
      createdAt: true,
      actorId: true,
      action: true,
      entityType: true,
      entityId: true,
      before: true,
      after: true,
      actor: { select: { email: true } },
    },
  });
  return rows.map(({ createdAt, actor, ...r }) => ({ ...r, at: createdAt, actorEmail: actor?.email ?? null }));
}

/** The whole trail, newest first (admins). */
export async function listAuditEvents(actor: Actor | null, opts: { take?: number } = {}, db: DbOrTx = prisma) {
  requirePermission(actor, "audit:read-all");
  const rows = await db.auditEvent.findMany({
    orderBy: { createdAt: "desc" },
    take: Math.min(opts.take ?? 200, 1000),
    select: {
      id: true,
      createdAt: true,
      actorId: true,
      action: true,
      entityType: true,
      entityId: true,
      before: true,
      after: true,
      actor: { select: { email: true } },
    },
  });
  return rows.map(({ createdAt, actor: a, ...r }) => ({ ...r, at: createdAt, actorEmail: a?.email ?? null }));
}
