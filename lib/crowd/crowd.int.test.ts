import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createStudy, launchStudy, DEFAULT_CRITERIA } from "@/lib/studies";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { arrive, CROWD_SETTINGS, crowdStudy as crowdStudyOf, participantAtItem } from "@/prisma/testing/crowd-fixture";
import { makeStudyFixture, studyInput, type StudyFixture } from "@/prisma/testing/study-fixture";
import {
  answerCheck,
  exportPayments,
  finishInstructions,
  getCrowdOverview,
  getParticipantView,
  giveConsent,
  participantNext,
  participantSubmit,
  participantSubmitAndNext,
  signParticipant,
  startParticipation,
  updateCrowdSettings,
  verifyParticipant,
} from "@/lib/crowd";

let f: StudyFixture;
beforeAll(async () => {
  f = await makeStudyFixture({ items: 4, students: 2, annotators: 1 });
}, 120_000);
afterAll(async () => {
  await prisma.user.deleteMany({
    where: { email: { endsWith: "@participants.invalid" }, crowdParticipation: { study: { evalSetId: f.evalSetId } } },
  });
  await f?.remove();
});

const settings = CROWD_SETTINGS;
const scores = Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, { left: 3, right: 3 }]));
const crowdStudy = (overrides: Record<string, unknown> = {}) => crowdStudyOf(f, overrides);

/**
 * A participant past consent, instructions and the comprehension check, whose first item is an
 * attention check (the regular pairs are made to look taken, so only the checks stay open).
 */
async function atAttentionCheck() {
  const { studyId, token } = await crowdStudy({ attentionShare: 0.5 });
  await prisma.pair.updateMany({ where: { studyId, kind: "REGULAR" }, data: { takenCount: 1 } });
  return participantAtItem(token);
}

describe("external participants", () => {
  it("launches a design that needs participants yet to arrive, and says how many at least", async () => {
    const { id: studyId } = await createStudy(
      f.researcher,
      studyInput(f, {
        name: `${f.tag} ${Math.random()}`,
        annotatorsPerPair: 2,
        maxPairsPerAnnotator: 3,
        participantIds: [],
      }),
    );
    await updateCrowdSettings(f.researcher, { studyId, isEnabled: true, settings });
    // 4 items x 2 students = 8 pairs x k=2 = 16 ratings at 3 per participant: 6 participants.
    expect(await launchStudy(f.researcher, { studyId })).toMatchObject({
      pairs: 8,
      minimumAnnotators: 6,
      note: "Completing the design needs at least 6 participants in all (8 pairs x k=2 = 16 ratings at a cap of 3 pairs per annotator); 0 take part now, so at least 6 more must arrive through the public link.",
    });
  });

  it("consent -> instructions -> check -> items up to the quota -> the completion code; the same id resumes", async () => {
    const { studyId, token } = await crowdStudy({ maxPairsPerAnnotator: 3 });
    const ref = await arrive(token);
    expect((await getParticipantView(ref)).stage).toBe("CONSENT");
    expect((await giveConsent(ref, { agree: true })).stage).toBe("INSTRUCTIONS");
    const check = await finishInstructions(ref);
    expect(check).toMatchObject({ stage: "CHECK", triesLeft: 2 });
    // The right answers never reach the browser.
    expect(JSON.stringify(check)).not.toContain('"answer"');
    expect((await answerCheck(ref, { answers: [1] })).view.stage).toBe("ITEMS");
    const view = await getParticipantView(ref);
    if (view.stage !== "ITEMS") throw new Error("expected items");

    // Coming back with the same id (a reload, a new tab) continues the same participation and item.
    const first = await participantNext(ref);
    const again = await arrive(token, ref.platformId);
    expect(again.participantId).toBe(ref.participantId);
    const resumed = await participantNext(again);
    expect(resumed.state === "item" && first.state === "item" && resumed.next.item.assignmentId).toBe(
      first.state === "item" && first.next.item.assignmentId,
    );

    let rated = 0;
    for (let i = 0; i < 10; i++) {
      const n = await participantNext(ref);
      if (n.state !== "item") {
        expect(n).toMatchObject({ state: "view", view: { stage: "COMPLETED", code: "C0MPLETE" } });
        const v = n.state === "view" ? n.view : null;
        expect(v?.stage === "COMPLETED" && v.url).toBe("https://app.prolific.com/submissions/complete?cc=C0MPLETE");
        break;
      }
      await participantSubmit(ref, {
        assignmentId: n.next.item.assignmentId,
        instructionsVersionId: view.instructionsVersionId,
        scores,
        preference: "TIE",
        activeMs: 2000,
      });
      rated++;
    }
    expect(rated).toBe(3);
    // The same id cannot take the study twice: it lands on the completion page again.
    expect((await getParticipantView(await arrive(token, ref.platformId))).stage).toBe("COMPLETED");
    expect(await prisma.crowdParticipant.count({ where: { studyId } })).toBe(1);

    const pay = await exportPayments(f.researcher, { studyId, withPlatformIds: true });
    expect(pay.csv).toContain(ref.platformId);
    expect(pay.csv.split("\n")[1]).toMatch(/^prolific,PID\d+,completed,3,0\.1,0,/);
    const shared = await exportPayments(f.researcher, { studyId });
    expect(shared.csv).not.toContain(ref.platformId);
    await expect(exportPayments(f.annotators[0], { studyId })).rejects.toThrow();
  });

  it("a wrong comprehension answer leaves one more try; two wrong ends with the request to return the study", async () => {
    const { token } = await crowdStudy();
    const ref = await arrive(token);
    await giveConsent(ref, { agree: true });
    await finishInstructions(ref);
    const once = await answerCheck(ref, { answers: [0] });
    expect(once).toMatchObject({ isCorrect: false, view: { stage: "CHECK", triesLeft: 1, hasFailedOnce: true } });
    const twice = await answerCheck(ref, { answers: [0] });
    expect(twice.view.stage).toBe("RETURNED");
    expect(twice.view.stage === "RETURNED" && twice.view.message).toMatch(/return this study/);
    // No items after that, and the right answer no longer helps.
    expect((await answerCheck(ref, { answers: [1] })).view.stage).toBe("RETURNED");
    expect((await participantNext(ref)).state).toBe("view");
  });

  it("a failed attention check ends the session with the screen-out code", async () => {
    const { ref, answer } = await atAttentionCheck();
    const r = await participantSubmit(ref, answer);
    expect(r.view).toMatchObject({ stage: "SCREENED_OUT", code: "SCREENED1" });
  });

  it("a rating's reply carries the next item (the one participantNext gives), then the completion page; a failed attention check ends it there", async () => {
    const { token } = await crowdStudy({ maxPairsPerAnnotator: 3 });
    const ref = await arrive(token);
    await giveConsent(ref, { agree: true });
    await finishInstructions(ref);
    await answerCheck(ref, { answers: [1] });
    const view = await getParticipantView(ref);
    if (view.stage !== "ITEMS") throw new Error("expected items");
    const rate = (assignmentId: string) =>
      participantSubmitAndNext(ref, {
        assignmentId,
        instructionsVersionId: view.instructionsVersionId,
        scores,
        preference: "TIE",
        activeMs: 2000,
      });
    let n = await participantNext(ref);
    const rated: string[] = [];
    while (n.state === "item") {
      const id = n.next.item.assignmentId;
      expect(rated).not.toContain(id);
      const r = await rate(id);
      rated.push(id);
      expect(r.view).toBeNull();
      n = r.next!;
      if (n.state === "item") {
        // The same item a separate request would give (it resumes the one the reply opened).
        const separate = await participantNext(ref);
        expect(separate.state === "item" && separate.next.item.assignmentId).toBe(n.next.item.assignmentId);
      }
    }
    expect(rated).toHaveLength(3);
    expect(n).toMatchObject({ state: "view", view: { stage: "COMPLETED", code: "C0MPLETE" } });

    const screened = await atAttentionCheck();
    const r = await participantSubmitAndNext(screened.ref, screened.answer);
    expect(r).toEqual({ view: expect.objectContaining({ stage: "SCREENED_OUT", code: "SCREENED1" }) });
  });

  it("only researchers and admins manage it: an annotator (or nobody) is refused the settings, overview and exports", async () => {
    const { studyId } = await crowdStudy();
    const annotator = f.annotators[0];
    for (const actor of [annotator, null]) {
      await expect(updateCrowdSettings(actor, { studyId, isEnabled: false })).rejects.toThrow();
      await expect(getCrowdOverview(actor, { studyId })).rejects.toThrow();
      await expect(exportPayments(actor, { studyId, withPlatformIds: true })).rejects.toThrow();
    }
    expect((await getCrowdOverview(f.researcher, { studyId })).isEnabled).toBe(true);
    // Turning it off stops the link: no new arrivals, no resumes.
    const { token } = await getCrowdOverview(f.researcher, { studyId }).then((o) => ({ token: o.token! }));
    await updateCrowdSettings(f.researcher, { studyId, isEnabled: false });
    await expect(startParticipation({ token, PROLIFIC_PID: "late1" })).rejects.toThrow(/not valid/);
  });

  it("belongs to the study's people: another researcher sees no settings, link or platform ids", async () => {
    const { studyId } = await crowdStudy();
    const stranger = await makeUser("RESEARCHER");
    try {
      await expect(getCrowdOverview(stranger, { studyId })).rejects.toThrow(/No such study/);
      await expect(updateCrowdSettings(stranger, { studyId, isEnabled: false })).rejects.toThrow(/No such study/);
      await expect(exportPayments(stranger, { studyId, withPlatformIds: true })).rejects.toThrow(/No such study/);
      expect((await getCrowdOverview(f.researcher, { studyId })).isEnabled).toBe(true);
    } finally {
      await deleteUsers(stranger.id);
    }
  });

  it("needs a platform id, a valid link and a signed cookie", async () => {
    const { token } = await crowdStudy();
    await expect(startParticipation({ token })).rejects.toThrow(/participant id/);
    await expect(startParticipation({ token: "no-such-token-at-all", PROLIFIC_PID: "abc" })).rejects.toThrow(
      /not valid/,
    );
    const ref = await arrive(token);
    const cookie = signParticipant(ref.participantId);
    expect(verifyParticipant(cookie)).toBe(ref.participantId);
    expect(verifyParticipant(cookie.slice(0, -2) + "xx")).toBeNull();
    expect(verifyParticipant(`${crypto.randomUUID()}.${cookie.split(".")[1]}`)).toBeNull();
    // Another study's link with this participant's cookie shows nothing of theirs.
    const other = await crowdStudy();
    await expect(getParticipantView({ participantId: ref.participantId, token: other.token })).rejects.toThrow(
      /not valid/,
    );
  });
});
