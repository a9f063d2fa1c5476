import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARTICIPANT_COOKIE, signParticipant } from "@/lib/crowd";
import { prisma } from "@/lib/db";
import { listenWithNodeRoutes } from "@/lib/http/testing/node-route-server";
import { API_CSP } from "@/lib/http/security-headers";
import { crowdStudy, participantAtItem } from "@/prisma/testing/crowd-fixture";
import { makeStudyFixture, type StudyFixture } from "@/prisma/testing/study-fixture";
import { participantRatingNodeRoute } from "./rate";

// A crowd participant's rating as `npm start` serves it (before Next): a real HTTP server, the
// signed participant cookie, a real database. What the node route does not take answers 299.
let f: StudyFixture;
let server: Awaited<ReturnType<typeof listenWithNodeRoutes>>;
let base: string;
beforeAll(async () => {
  f = await makeStudyFixture({ items: 4, students: 2, annotators: 1 });
  server = await listenWithNodeRoutes([participantRatingNodeRoute]);
  base = server.base;
}, 120_000);
afterAll(async () => {
  await server?.close();
  await prisma.user.deleteMany({
    where: { email: { endsWith: "@participants.invalid" }, crowdParticipation: { study: { evalSetId: f.evalSetId } } },
  });
  await f?.remove();
});

/** A participant holding their first item, a rating of it, and the cookie their browser holds. */
async function atFirstItem(token: string) {
  const { ref, answer } = await participantAtItem(token);
  return { ref, answer, cookie: `${PARTICIPANT_COOKIE}=${signParticipant(ref.participantId)}` };
}

function rateOver(token: string, body: unknown, { cookie, origin = base }: { cookie?: string; origin?: string }) {
  return fetch(`${base}/p/${token}/api/rating?next=1`, {
    method: "POST",
    headers: { origin, "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}
const ratingsOf = (assignmentId: string) => prisma.rating.count({ where: { assignmentId } });

describe("a crowd participant's rating, answered by the web server itself", () => {
  it("saves it and answers with the participant's next item", async () => {
    const { token } = await crowdStudy(f, { maxPairsPerAnnotator: 3 });
    const { answer, cookie } = await atFirstItem(token);
    const res = await rateOver(token, answer, { cookie });
    expect(res.status).toBe(200);
    const reply = await res.json();
    expect(reply).toMatchObject({ view: null, next: { state: "item" } });
    expect(reply.next.next.item.assignmentId).not.toBe(answer.assignmentId);
    expect(res.headers.get("content-security-policy")).toBe(API_CSP);
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(await ratingsOf(answer.assignmentId)).toBe(1);
  });

  it("refuses no cookie, a forged one, another participant's item and another origin, and stores nothing", async () => {
    const { token } = await crowdStudy(f, { maxPairsPerAnnotator: 3 });
    const { ref, answer, cookie } = await atFirstItem(token);
    const other = await atFirstItem(token);

    const none = await rateOver(token, answer, {});
    expect(none.status).toBe(401);
    expect((await none.json()).error.message).toBe("Open this study from the link on Prolific or MTurk");
    const forged = `${PARTICIPANT_COOKIE}=${ref.participantId}.${"A".repeat(43)}`;
    expect((await rateOver(token, answer, { cookie: forged })).status).toBe(401);
    expect((await rateOver(token, answer, { cookie: other.cookie })).status).toBe(404);
    const attacker = `http://localhost:${Number(new URL(base).port) + 7}`;
    expect((await rateOver(token, answer, { cookie, origin: attacker })).status).toBe(403);
    expect(await ratingsOf(answer.assignmentId)).toBe(0);
  });
});
