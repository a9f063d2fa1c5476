import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { hotQuery, prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { readSession, readSessionFrom, type HeaderReader, type SessionClaims } from "./session-cookie";
import { can, requirePermission, type Actor, type Permission } from "./permissions";

const USER_ID = z.uuid();
type UserRow = Actor & { isActive: boolean; sessionVersion: number };

/**
 * The signed-in user, read fresh from the database on every request: a deactivated user, a
 * changed role or a revoked session (password reset, sign-out, deactivation: the cookie's session
 * version is behind the user's) takes effect at once, whatever the session cookie still says. Memoised per
 * request (React `cache`), so the root layout and the page it wraps share one session decode
 * and one query instead of doing both twice.
 */
export const getActor = cache(async function getActor(): Promise<Actor | null> {
  return actorOf(await readSession());
});

/** The user a session cookie names, if that session still stands (see getActor). */
async function actorOf(session: SessionClaims | null): Promise<Actor | null> {
  const id = session?.userId;
  if (!id) return null;
  // A session from another database, or from before ids were uuids, names nobody here.
  if (!USER_ID.safeParse(id).success) return null;
  // A raw statement prepared once per connection (lib/db.ts): it runs on every request.
  const [user] = await hotQuery<UserRow>(
    prisma,
    Prisma.sql`/* prepared */
    SELECT "id"::text AS "id", "role"::text AS "role", "email", "name", "isActive", "sessionVersion"
    FROM "User" WHERE "id" = ${id}::uuid`,
  );
  // A cookie from before a password reset, sign-out or deactivation carries an older version.
  if (!user || !user.isActive || user.sessionVersion !== session.sessionVersion) return null;
  return { id: user.id, role: user.role, email: user.email, name: user.name };
}

/**
 * For pages: sends a visitor who is not signed in to the sign-in page and answers 403 to a
 * role the permission table does not allow. Layouts never do this on their own.
 */
export async function requirePageActor(permission: Permission | null, returnTo: string): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (permission && !can(actor.role, permission)) forbidden();
  return actor;
}

/**
 * For route handlers and server actions: the actor, checked against the permission table
 * before any input is parsed, so a caller without access learns nothing about the input's shape.
 * Use cases check again; this is the door, they are the lock.
 */
export async function requireActor(permission: Permission): Promise<Actor> {
  const actor = await getActor();
  requirePermission(actor, permission);
  return actor;
}

/**
 * requireActor for a request that Next's request scope does not wrap (the routes scripts/serve.ts
 * answers itself): the session is read from the request's own Cookie header, and checked the same way.
 */
export async function requireRequestActor(h: HeaderReader, permission: Permission): Promise<Actor> {
  const actor = await actorOf(await readSessionFrom(h));
  requirePermission(actor, permission);
  return actor;
}
