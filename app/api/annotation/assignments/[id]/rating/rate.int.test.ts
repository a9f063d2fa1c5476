import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { encode } from "@/lib/auth/jwt";
import { bumpSessionVersion } from "@/lib/auth/next-auth";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { listenWithNodeRoutes } from "@/lib/http/testing/node-route-server";
import { SECURITY_HEADERS } from "@/lib/http/security-headers";
import { ratingNodeRoute } from "./rate";
import {
  claimedAssignment,
  liveStudy,
  makeStudyFixture,
  sameScores,
  type StudyFixture,
} from "@/prisma/testing/study-fixture";

// The rating as `npm start` serves it (scripts/serve.ts answers it before Next): a real HTTP
// server, real session cookies, a real database. Anything the node route does not take
// answers 299 here, standing for Next.
let f: StudyFixture;
let server: Awaited<ReturnType<typeof listenWithNodeRoutes>>;
let base: string;
beforeAll(async () => {
  f = await makeStudyFixture({ items: 8, students: 1, annotators: 3, idle: 2 });
  server = await listenWithNodeRoutes([ratingNodeRoute]);
  base = server.base;
}, 120_000);
afterAll(async () => {
  await server?.close();
  await f?.remove();
});

/** The cookie next-auth sets at sign-in for this user, at their current session version. */
async function cookieOf(actor: Actor): Promise<string> {
  const { sessionVersion } = await prisma.user.findUniqueOrThrow({ where: { id: actor.id } });
  const token = await encode({ token: { sub: actor.id, sv: sessionVersion }, secret: env().NEXTAUTH_SECRET });
  return `next-auth.session-token=${token}`;
}

function rateOver(
  assignmentId: string,
  body: unknown,
  { cookie, origin = base, next = true }: { cookie?: string; origin?: string; next?: boolean },
) {
  return fetch(`${base}/api/annotation/assignments/${assignmentId}/rating${next ? "?next=1" : ""}`, {
    method: "POST",
    headers: { origin, "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const ratingsOf = (assignmentId: string) => prisma.rating.count({ where: { assignmentId } });

describe("the rating route, answered by the web server itself", () => {
  it("saves the annotator's rating and answers with their next item", async () => {
    const a = f.annotators[0];
    const { studyId, versionId } = await liveStudy(f, {}, [a]);
    const first = await claimedAssignment(a, studyId);
    const body = { instructionsVersionId: versionId, scores: sameScores(4, 2), preference: "LEFT", activeMs: 900 };
    const res = await rateOver(first, body, { cookie: await cookieOf(a) });
    expect(res.status).toBe(200);
    const reply = await res.json();
    expect(reply).toMatchObject({ assignmentId: first, revision: 1, next: { state: "item" } });
    expect(reply.next.item.assignmentId).not.toBe(first);
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    for (const { key, value } of SECURITY_HEADERS) expect(res.headers.get(key), key).toBe(value);
    const saved = await prisma.rating.findFirstOrThrow({ where: { assignmentId: first } });
    expect(saved.activeMs).toBe(900);

    // Without ?next=1: the rating's revision only, as the Next route answers it.
    const again = await rateOver(first, { ...body, preference: "TIE" }, { cookie: await cookieOf(a), next: false });
    expect(await again.json()).toEqual({ assignmentId: first, revision: 2 });
  });

  it("refuses a revoked session, another role and a page on another origin, and stores nothing", async () => {
    const a = f.annotators[1];
    const { studyId, versionId } = await liveStudy(f, {}, [a]);
    const item = await claimedAssignment(a, studyId);
    const body = { instructionsVersionId: versionId, scores: sameScores(3, 3), preference: "TIE", activeMs: 10 };
    const valid = await cookieOf(a);

    const attacker = `http://localhost:${Number(new URL(base).port) + 7}`;
    const cross = await rateOver(item, body, { cookie: valid, origin: attacker });
    expect(cross.status).toBe(403);
    expect((await cross.json()).error.code).toBe("cross_origin");

    expect((await rateOver(item, body, {})).status).toBe(401);
    expect((await rateOver(item, body, { cookie: await cookieOf(f.researcher) })).status).toBe(403);
    expect((await rateOver(item, body, { cookie: "next-auth.session-token=forged" })).status).toBe(401);

    await bumpSessionVersion(a.id); // a sign-out or password reset elsewhere
    expect((await rateOver(item, body, { cookie: valid })).status).toBe(401);
    expect(await ratingsOf(item)).toBe(0);

    // The annotator signed in again rates as before.
    expect((await rateOver(item, body, { cookie: await cookieOf(a) })).status).toBe(200);
    expect(await ratingsOf(item)).toBe(1);
  });

  it("says what to fix in a bad rating, and refuses one for another annotator's item as not found", async () => {
    const [a, b] = [f.annotators[2], f.annotators[0]];
    const { studyId, versionId } = await liveStudy(f, {}, [a, b]);
    const item = await claimedAssignment(a, studyId);
    const cookie = await cookieOf(a);

    const missing = await rateOver(
      item,
      { instructionsVersionId: versionId, preference: "TIE", activeMs: 1 },
      { cookie },
    );
    expect(missing.status).toBe(422);
    expect((await missing.json()).error.fields).toHaveProperty("scores");
    const garbled = await rateOver(item, "{not json", { cookie });
    expect(garbled.status).toBe(422);

    const body = { instructionsVersionId: versionId, scores: sameScores(3, 3), preference: "TIE", activeMs: 1 };
    const theirs = await rateOver(item, body, { cookie: await cookieOf(b) });
    expect(theirs.status).toBe(404);
    expect(await ratingsOf(item)).toBe(0);
  });
});
