import { expect, test, type Response } from "@playwright/test";
import { ANNOTATOR1, ANNOTATOR2, signIn } from "./fixtures/auth";
import { e2eDatabase, launchStudyFromSources } from "./fixtures/annotation-study";

const SOURCES = [
  "The chef cooked the soup this morning.",
  "My sister painted the fence in the garden.",
  "The police caught the thief after midnight.",
  "Anna bought some flowers for grandmother.",
];

test("nothing an annotator's browser receives names a system, an output or a model", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const tag = `${Date.now()}`;
  // Gold and attention pairs are walked too: 4 regular pairs + 1 gold + 1 attention check. One
  // person never gets two pairs of one source, so two annotators share the six pairs.
  const { studyId, evalSet, teacher, student } = await launchStudyFromSources(page, {
    tag,
    sources: SOURCES,
    name: `E2E blind ${tag}`,
    k: 1,
    participants: [ANNOTATOR1.email, ANNOTATOR2.email],
    goldShare: 0.2,
    attentionShare: 0.2,
  });

  // Everything that could give a system away: names, ids, output and pair ids, model folders.
  const db = await e2eDatabase();
  const secrets = new Set<string>();
  try {
    const systems = await db.query(`SELECT id::text, name, "modelDir" FROM "System"`);
    for (const s of systems.rows) for (const v of [s.id, s.name, s.modelDir]) if (v) secrets.add(v);
    const outputs = await db.query(
      `SELECT o.id::text FROM "Output" o JOIN "EvalItem" i ON i.id = o."itemId" JOIN "EvalSet" e ON e.id = i."evalSetId" WHERE e.name = $1`,
      [evalSet],
    );
    for (const o of outputs.rows) secrets.add(o.id);
    const pairs = await db.query(
      `SELECT id::text, "studentSystemId"::text, "teacherOutputId"::text, "studentOutputId"::text FROM "Pair" WHERE "studyId" = $1`,
      [studyId],
    );
    expect(pairs.rows).toHaveLength(6);
    for (const p of pairs.rows) for (const v of Object.values(p)) secrets.add(v as string);
    for (const k of [
      "TEACHER",
      "STUDENT",
      "REGULAR",
      "GOLD",
      "ATTENTION",
      "teacherOnLeft",
      "teacherOutput",
      "studentOutput",
      "studentSystem",
      "pairId",
      "models/",
    ])
      secrets.add(k);
  } finally {
    await db.end();
  }
  expect(secrets.has(teacher) && secrets.has(student)).toBe(true);

  const seen: { url: string; text: string }[] = [];
  for (const who of [ANNOTATOR1, ANNOTATOR2]) {
    const ctx = await browser.newContext();
    const a = await ctx.newPage();
    const pending: Promise<void>[] = [];
    const record = (res: Response) => {
      pending.push(
        (async () => {
          const headers = JSON.stringify(await res.allHeaders());
          const body = await res.text().catch(() => "");
          seen.push({ url: res.url(), text: `${res.url()}\n${headers}\n${body}` });
        })(),
      );
    };
    a.on("response", record);
    a.on("request", (req) => {
      seen.push({ url: req.url(), text: `${req.url()}\n${req.postData() ?? ""}` });
    });
    await signIn(a, who);
    await a.goto(`/tasks/${studyId}`);
    await a.getByRole("button", { name: /I have read the instructions/ }).click();
    // Rated until nothing is left for this person (how many depends on what the first one took).
    const done = a.getByText(/nothing left for you to rate/);
    for (let n = 1; n <= 6; n++) {
      const item = a.getByRole("status").filter({ hasText: `Item ${n} of` });
      await expect(item.or(done)).toBeVisible();
      if (await done.isVisible()) break;
      seen.push({ url: `dom:${a.url()}`, text: await a.content() });
      const attrs = await a
        .locator("*")
        .evaluateAll((els) =>
          els.flatMap((el) => Array.from(el.attributes).map((x) => `${x.name}=${x.value}`)).join("\n"),
        );
      seen.push({ url: "dom-attributes", text: attrs });
      for (let i = 0; i < 8; i++) await a.keyboard.press(String(1 + ((n + i) % 5)));
      await a.keyboard.press(["l", "t", "r"][n % 3]);
      await a.keyboard.press("Enter");
      await expect(item).toHaveCount(0);
    }
    await expect(done).toBeVisible();
    await a.reload();
    seen.push({ url: `dom:${a.url()}`, text: await a.content() });
    await Promise.all(pending);
    seen.push({ url: "cookies", text: JSON.stringify(await ctx.cookies()) });
    seen.push({
      url: "storage",
      text: JSON.stringify(await a.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }))),
    });
    await ctx.close();
  }
  const check = await e2eDatabase();
  try {
    const rated = await check.query(`SELECT count(*)::int AS n FROM "Rating" WHERE "studyId" = $1`, [studyId]);
    // Every pair, gold and attention included, is walked: the checks fall on two different
    // sources (spread over items), so two people complete all six.
    expect(rated.rows[0].n).toBe(6);
  } finally {
    await check.end();
  }

  expect(seen.length).toBeGreaterThan(20);
  expect(seen.some((s) => s.url.includes("/api/annotation/studies/") && s.text.includes("assignmentId"))).toBe(true);
  const leaks = seen.flatMap((s) =>
    [...secrets].filter((secret) => s.text.includes(secret)).map((secret) => `${secret} in ${s.url}`),
  );
  expect(leaks).toEqual([]);
});
