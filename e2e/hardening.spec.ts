import { expect, test } from "@playwright/test";
import { ADMIN, ANNOTATOR1, RESEARCHER, signIn, uniqueEmail, signedInPage } from "./fixtures/auth";
import { e2eDatabase, launchStudyFromSources } from "./fixtures/annotation-study";

// Probes of the attack in issue 14, run against the real app (npm start) in a real browser.

test("after sign-in, callbackUrl never sends the browser to another host", async ({ page }) => {
  await signIn(page, ADMIN);
  const origin = new URL(page.url()).origin;
  for (const payload of [
    "%2F.%2F%2Fevil.example%2F",
    "/x/..//evil.example",
    "/%2e//evil.example",
    "/./\\evil.example",
  ]) {
    const res = await page.request.get(
      `/sign-in?callbackUrl=${payload.startsWith("%") ? payload : encodeURIComponent(payload)}`,
      {
        maxRedirects: 0,
      },
    );
    const location = res.headers()["location"];
    expect(res.status(), payload).toBeGreaterThanOrEqual(300);
    expect(new URL(location, origin).origin, `${payload} -> ${location}`).toBe(origin);
  }
  // next-auth's own endpoint refuses an unparseable off-site callbackUrl cleanly instead of a 500.
  const bad = await page.request.get(
    `/api/auth/signin?callbackUrl=${encodeURIComponent("http://localhost:3001.evil.example/")}`,
    {
      maxRedirects: 0,
    },
  );
  expect(bad.status()).toBe(400);
});

test("a page on another port cannot create a user with the admin's cookie (CSRF)", async ({ page }) => {
  await signIn(page, ADMIN);
  const appOrigin = new URL(page.url()).origin;
  const attacker = `http://localhost:${Number(new URL(appOrigin).port) + 7}/attack.html`; // same host, other port: same site
  const email = uniqueEmail("csrf");
  const body = JSON.stringify({ email, name: "Mallory", role: "ADMIN", password: "mallory-password-1" });
  // The attacker's page: an auto-submitting text/plain form whose one field spells out a JSON body.
  await page.route(attacker, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form id=f method=POST enctype="text/plain" action="${appOrigin}/api/users">
        <input name='${body.slice(0, -1)},"pad":"' value='"}'></form><script>f.submit()</script>`,
    }),
  );
  const posted = page.waitForResponse((r) => r.url() === `${appOrigin}/api/users` && r.request().method() === "POST");
  await page.goto(attacker);
  const res = await posted;
  expect(res.request().headers()["content-type"]).toContain("text/plain");
  expect(res.status()).toBe(403);

  // The admin's own page (same origin, JSON) still creates users.
  await page.goto("/admin/users");
  const ok = await page.evaluate(async (json) => {
    const r = await fetch("/api/users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: json,
    });
    return r.status;
  }, body);
  expect(ok).toBe(201);
  // Created once, by the same-origin request only.
  const list = await page.request.get("/api/users");
  const users = (await list.json()).users as { email: string }[];
  expect(users.filter((u) => u.email === email)).toHaveLength(1);
});

test("the rating route, which npm start answers before Next, refuses another origin and replies with Next's headers", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = `${Date.now()}`;
  const name = `E2E rating route ${tag}`;
  await launchStudyFromSources(page, {
    tag,
    sources: ["The committee approved the budget on Friday."],
    name,
    k: 1,
    participants: [ANNOTATOR1.email],
  });
  const { ctx, page: a } = await signedInPage(browser, ANNOTATOR1);
  const appOrigin = new URL(a.url()).origin;
  await a.getByRole("link", { name }).click();
  // The claim (a Next route handler) names the item the annotator holds.
  const claimed = a.waitForResponse((r) => /\/api\/annotation\/studies\/[^/]+\/next$/.test(r.url()));
  await a.getByRole("button", { name: /I have read the instructions/ }).click();
  const claim = await claimed;
  const { item } = (await claim.json()) as { item: { assignmentId: string } };
  const ratingUrl = `${appOrigin}/api/annotation/assignments/${item.assignmentId}/rating?next=1`;

  // A page on another port posts a rating with the annotator's cookie: a text/plain form, as CSRF has it.
  const attacker = `http://localhost:${Number(new URL(appOrigin).port) + 7}/rate.html`;
  const forged = JSON.stringify({ instructionsVersionId: item.assignmentId, preference: "LEFT", activeMs: 1 });
  await a.route(attacker, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form id=f method=POST enctype="text/plain" action="${ratingUrl}">
        <input name='${forged.slice(0, -1)},"pad":"' value='"}'></form><script>f.submit()</script>`,
    }),
  );
  const refused = a.waitForResponse((r) => r.url() === ratingUrl && r.request().method() === "POST");
  await a.goto(attacker);
  expect((await refused).status()).toBe(403);

  // The annotator's own page rates the item with the keyboard.
  await a.goto(`/tasks/${new URL(claim.url()).pathname.split("/")[4]}`);
  await expect(a.getByRole("status").filter({ hasText: "Item 1 of 1" })).toBeVisible();
  const saved = a.waitForResponse((r) => r.url() === ratingUrl);
  for (let i = 0; i < 8; i++) await a.keyboard.press(String(1 + (i % 5)));
  await a.keyboard.press("t");
  await a.keyboard.press("Enter");
  const rating = await saved;
  expect(rating.status()).toBe(200);
  await expect(a.getByText(/nothing left for you to rate/)).toBeVisible();

  // Served outside Next, the reply carries what Next's own API replies carry.
  const same = ["x-frame-options", "x-content-type-options", "referrer-policy", "cross-origin-opener-policy"];
  same.push("permissions-policy", "content-security-policy", "content-type");
  const [ours, next] = [rating.headers(), claim.headers()];
  for (const h of same) expect(ours[h], h).toBe(next[h]);
  expect(ours["content-security-policy"]).toContain("default-src 'none'");

  const db = await e2eDatabase();
  try {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Rating" WHERE "assignmentId" = $1`,
      [item.assignmentId],
    );
    expect(rows[0].n).toBe(1);
  } finally {
    await db.end();
  }
  await ctx.close();
});

test("a server action posted from another origin is refused by Next's own origin check", async ({ page }) => {
  await signIn(page, ADMIN);
  const appOrigin = new URL(page.url()).origin;
  const send = (origin: string) =>
    page.request.post("/admin/users", {
      headers: { origin, "next-action": "7f".padEnd(42, "0"), "content-type": "text/plain;charset=UTF-8" },
      data: "[]",
      maxRedirects: 0,
    });
  const cross = await send(`http://localhost:${Number(new URL(appOrigin).port) + 7}`);
  const same = await send(appOrigin);
  // Cross-origin: aborted before any action is looked up; same origin: the (made-up) action is merely unknown.
  expect(cross.status()).toBe(500);
  expect(same.status()).not.toBe(500);
});

test("a copied session cookie stops working after sign-out", async ({ browser }) => {
  const { ctx, page } = await signedInPage(browser, ADMIN);
  const copied = await ctx.cookies();
  const thief = await browser.newContext();
  await thief.addCookies(copied);
  expect((await thief.request.get("/api/users")).status()).toBe(200);
  await page.request.post("/api/auth/signout", {
    headers: { origin: new URL(page.url()).origin },
    form: { csrfToken: (await (await page.request.get("/api/auth/csrf")).json()).csrfToken },
  });
  expect((await thief.request.get("/api/users")).status()).toBe(401);
  await Promise.all([ctx.close(), thief.close()]);
});

test("pages carry a strict CSP the app works under, and cannot be framed", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) violations.push(m.text());
  });
  await signIn(page, ADMIN); // signing in needs the app's scripts: they run under the CSP
  for (const path of ["/admin/users", "/eval-sets", "/systems", "/studies"]) {
    const res = await page.goto(path);
    const csp = res!.headers()["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(res!.headers()["x-frame-options"]).toBe("DENY");
    expect(res!.headers()["x-content-type-options"]).toBe("nosniff");
    await expect(page.locator("h1").first()).toBeVisible();
  }
  // A client-side navigation works (scripts hydrated under the nonce).
  await page.getByRole("link", { name: "Users" }).first().click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  expect(violations).toEqual([]);
});

test("an upload over 10 MB gets the app's message with the limit, not a bare error", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/eval-sets");
  const big = Buffer.alloc(11 * 1024 * 1024, "a\n");
  await page
    .getByRole("form", { name: "Upload an eval set" })
    .getByLabel("File")
    .setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: big });
  await expect(page.getByRole("alert").filter({ hasText: /limit/ })).toContainText(
    "The file is 11.0 MB; the limit is 10 MB",
  );
});

test("another researcher cannot read, export or audit a study that is not theirs; its owner can", async ({
  browser,
}) => {
  const db = await e2eDatabase();
  const demo = (await db.query(`SELECT id FROM "Study" WHERE "isDemo" ORDER BY "createdAt" LIMIT 1`)).rows[0] as {
    id: string;
  };
  await db.end();
  const { ctx: adminCtx, page: admin } = await signedInPage(browser, ADMIN);
  const other = { email: uniqueEmail("other-researcher"), password: "other-researcher-1" };
  const created = await admin.request.post("/api/users", {
    headers: { origin: new URL(admin.url()).origin },
    data: { ...other, name: "Olga Other", role: "RESEARCHER" },
  });
  expect(created.status()).toBe(201);

  const { ctx, page } = await signedInPage(browser, other);
  for (const path of [`/api/studies/${demo.id}/export/ratings`, `/api/studies/${demo.id}/audit`])
    expect((await page.request.get(path)).status(), path).toBe(404);
  expect((await page.goto(`/studies/${demo.id}/results`))?.status()).toBe(404);

  const { ctx: ownerCtx, page: owner } = await signedInPage(browser, RESEARCHER);
  expect((await owner.request.get(`/api/studies/${demo.id}/export/ratings`)).status()).toBe(200);
  const audit = await owner.request.get(`/api/studies/${demo.id}/audit`);
  expect(audit.status()).toBe(200);
  const actions = ((await audit.json()).events as { action: string }[]).map((e) => e.action);
  expect(actions).toContain("study.export"); // the export just above left a trail
  await Promise.all([adminCtx.close(), ctx.close(), ownerCtx.close()]);
});
