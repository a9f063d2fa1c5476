import { expect, test, type Page } from "@playwright/test";
import { ANNOTATOR1 } from "./fixtures/auth";
import { launchStudyFromSources } from "./fixtures/annotation-study";

const SOURCES = [
  "The children cleaned the kitchen after dinner.",
  "The old farmer sold the farm last year.",
  "The manager signed the contract on Monday.",
];
const CHECK = "How many paraphrases do you rate on each screen?\n- One\n* Two\n- Three";

/** The researcher turns on external participants and reads the Prolific link from the page. */
async function enableCrowd(page: Page, studyId: string, codes: { completion: string; screenOut: string }) {
  await page.goto(`/studies/${studyId}/crowd`);
  const form = page.getByRole("form", { name: "External participants" });
  await form.getByLabel("Take external participants through a public study link").check();
  await form.getByLabel("Consent text (markdown)").fill("## Consent\n\nYou agree that we **store your ratings**.");
  await form.getByLabel(/Comprehension check/).fill(CHECK);
  await form.getByLabel("Completion code").fill(codes.completion);
  await form.getByLabel(/Screen-out code/).fill(codes.screenOut);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  const link = (await page.getByTestId("prolific-link").textContent())!;
  expect(link).toContain("PROLIFIC_PID={{%PROLIFIC_PID%}}");
  return (pid: string) =>
    link
      .replace("{{%PROLIFIC_PID%}}", pid)
      .replace("{{%STUDY_ID%}}", "prolific-study-1")
      .replace("{{%SESSION_ID%}}", `session-${pid}`);
}

async function rateOne(p: Page, n: number, total: number) {
  await expect(p.getByRole("status").filter({ hasText: `Item ${n} of ${total}` })).toBeVisible();
  for (let i = 0; i < 8; i++) await p.keyboard.press(String(1 + ((n + i) % 5)));
  await p.keyboard.press("l");
  await p.keyboard.press("Enter");
}

test("a participant from a Prolific link consents, passes the check, rates, resumes and lands on the completion URL with the code; another fails the check twice and is asked to return", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const tag = `${Date.now()}`;
  const { studyId } = await launchStudyFromSources(page, {
    tag,
    sources: SOURCES,
    name: `E2E crowd ${tag}`,
    k: 1,
    participants: [ANNOTATOR1.email],
  });
  const code = `DONE${tag.slice(-6)}`;
  const linkFor = await enableCrowd(page, studyId, { completion: code, screenOut: `OUT${tag.slice(-6)}` });

  const pid = `pid${tag}`;
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  // Prolific itself is outside: its completion page is answered here, so the final address can be checked.
  await ctx.route("https://app.prolific.com/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Prolific</h1>" }),
  );
  await p.goto(linkFor(pid));
  await expect(p).toHaveURL(new RegExp(`/p/[^/?]+$`)); // the ids are not left in the address
  await expect(p.getByRole("heading", { name: "Consent" })).toBeVisible();
  await expect(p.getByText("store your ratings")).toBeVisible();
  await p.getByRole("button", { name: "I agree to take part" }).click();
  await expect(p.getByRole("heading", { name: "Instructions" })).toBeVisible();
  await p.getByRole("button", { name: /continue to a short check/ }).click();
  await p.getByRole("radio", { name: "Two" }).check();
  await p.getByRole("button", { name: "Check my answers" }).click();

  await rateOne(p, 1, 3);
  await expect(p.getByRole("status").filter({ hasText: "Item 2 of 3" })).toBeVisible();
  const shown = await p
    .locator("p")
    .filter({ hasText: /^(The|A) / })
    .first()
    .textContent();
  // A reload continues with the same item.
  await p.reload();
  await expect(p.getByRole("status").filter({ hasText: "Item 2 of 3" })).toBeVisible();
  expect(
    await p
      .locator("p")
      .filter({ hasText: /^(The|A) / })
      .first()
      .textContent(),
  ).toBe(shown);

  // None of the app's other pages opens to a participant.
  for (const path of ["/tasks", "/studies", `/studies/${studyId}`, "/eval-sets", "/admin/users"]) {
    const other = await ctx.newPage();
    await other.goto(path);
    await expect(other).toHaveURL(/\/sign-in/);
    await other.close();
  }
  // Same-origin JSON, so the CSRF guard lets it through and the answer is about who is asking.
  const api = await ctx.request.post(`/api/annotation/studies/${studyId}/next`, {
    data: {},
    headers: { origin: new URL(p.url()).origin },
  });
  expect(api.status()).toBe(401);
  await p.close();

  // Coming back later with the same id, in a fresh browser, continues where they were.
  const ctx2 = await browser.newContext();
  await ctx2.route("https://app.prolific.com/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Prolific</h1>" }),
  );
  const p2 = await ctx2.newPage();
  await p2.goto(linkFor(pid));
  await rateOne(p2, 2, 3);
  await rateOne(p2, 3, 3);
  await expect(p2.getByRole("heading", { name: "Thank you, you are done" })).toBeVisible();
  await expect(p2.getByTestId("completion-code")).toHaveText(code);
  await p2.getByRole("link", { name: "Return to Prolific to finish" }).click();
  await expect(p2).toHaveURL(`https://app.prolific.com/submissions/complete?cc=${code}`);
  // The same id cannot take the study twice.
  await p2.goto(linkFor(pid));
  await expect(p2.getByRole("heading", { name: "Thank you, you are done" })).toBeVisible();

  // A second participant fails the comprehension check twice.
  const ctx3 = await browser.newContext();
  const p3 = await ctx3.newPage();
  await p3.goto(linkFor(`other${tag}`));
  await p3.getByRole("button", { name: "I agree to take part" }).click();
  await p3.getByRole("button", { name: /continue to a short check/ }).click();
  await p3.getByRole("radio", { name: "One" }).check();
  await p3.getByRole("button", { name: "Check my answers" }).click();
  await expect(p3.getByRole("alert").filter({ hasText: "1 more try" })).toBeVisible();
  await p3.getByRole("radio", { name: "Three" }).check();
  await p3.getByRole("button", { name: "Check my answers" }).click();
  await expect(p3.getByRole("heading", { name: "Please return this study" })).toBeVisible();
  await expect(p3.getByText(/Please return this study on the platform/)).toBeVisible();
  await p3.reload();
  await expect(p3.getByRole("heading", { name: "Please return this study" })).toBeVisible();
  await p3.goto("/tasks");
  await expect(p3).toHaveURL(/\/sign-in/);

  // The researcher's payment export names the platform ids; the shared one does not.
  const pay = await page.request.get(`/api/studies/${studyId}/export/payments?ids=1`);
  const csv = await pay.text();
  expect(csv).toContain(`prolific,${pid},completed,3,`);
  expect(csv).toContain(`prolific,other${tag},returned,0,`);
  expect(await (await page.request.get(`/api/studies/${studyId}/export/payments`)).text()).not.toContain(pid);
  await Promise.all([ctx.close(), ctx2.close(), ctx3.close()]);
});
