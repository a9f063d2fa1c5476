import { expect, test } from "@playwright/test";
import { ADMIN, RESEARCHER, uniqueEmail, signedInPage } from "./fixtures/auth";
import { e2eDatabase } from "./fixtures/annotation-study";

test("the owner shares a study read-only, raises it to manage in place, takes it away, and the audit trail shows each step", async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const db = await e2eDatabase();
  const demo = (await db.query(`SELECT id FROM "Study" WHERE "isDemo" ORDER BY "createdAt" LIMIT 1`)).rows[0] as {
    id: string;
  };
  await db.end();
  const { ctx: adminCtx, page: admin } = await signedInPage(browser, ADMIN);
  const colleague = { email: uniqueEmail("colleague"), password: "colleague-password-1" };
  const name = `Carla Colleague ${colleague.email.split("@")[0].slice(-6)}`;
  const created = await admin.request.post("/api/users", {
    headers: { origin: new URL(admin.url()).origin },
    data: { ...colleague, name, role: "RESEARCHER" },
  });
  expect(created.status()).toBe(201);

  const { ctx: ownerCtx, page: owner } = await signedInPage(browser, RESEARCHER);
  await owner.goto(`/studies/${demo.id}`);
  const form = owner.getByRole("form", { name: "Add a collaborator" });
  await form.getByLabel("Researcher").selectOption(colleague.email);
  await form.getByLabel("Access").selectOption("READ");
  await form.getByRole("button", { name: "Add collaborator" }).click();
  await expect(form.getByRole("status")).toHaveText(`${name} can now read this study.`);
  const access = owner.getByLabel(`Access of ${name}`);
  await expect(access).toHaveValue("READ");

  // Read-only: the colleague sees the results but may not change the study.
  const { ctx: colleagueCtx, page: other } = await signedInPage(browser, colleague);
  expect((await other.goto(`/studies/${demo.id}/results`))?.status()).toBe(200);
  await other.goto(`/studies/${demo.id}`);
  await other.getByRole("button", { name: "Pause study" }).click();
  await expect(other.getByRole("status").filter({ hasText: /read this study but not change it/ })).toBeVisible();
  await expect(other.getByRole("form", { name: "Add a collaborator" })).toHaveCount(0);
  await expect(other.getByLabel(`Access of ${name}`)).toHaveCount(0); // shown as text, not a control

  // Raised to manage in place, without removing and adding again.
  await access.selectOption("MANAGE");
  await expect(owner.getByLabel(`Access of ${name}`)).toHaveValue("MANAGE");
  await owner.reload();
  await expect(owner.getByLabel(`Access of ${name}`)).toHaveValue("MANAGE");
  await expect(owner.getByTestId("audit-trail")).toContainText(/READ.*MANAGE/);
  await owner.getByTestId("collaborators").screenshot({ path: testInfo.outputPath("people-with-access.png") });
  await owner.getByTestId("audit-trail").screenshot({ path: testInfo.outputPath("audit-trail.png") });

  // Taken away: the colleague learns nothing about the study any more.
  owner.once("dialog", (d) => void d.accept());
  await owner.getByRole("button", { name: `Remove ${name}` }).click();
  await expect(owner.getByLabel(`Access of ${name}`)).toHaveCount(0);
  expect((await other.goto(`/studies/${demo.id}/results`))?.status()).toBe(404);
  await Promise.all([adminCtx.close(), ownerCtx.close(), colleagueCtx.close()]);
});
