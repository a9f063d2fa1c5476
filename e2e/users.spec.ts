import { expect, test } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { ADMIN, signIn, uniqueEmail, signedInPage } from "./fixtures/auth";

test("an admin creates an annotator, who signs in and sees only annotator pages", async ({ page, browser }) => {
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("link", { name: "Users" }).first().click();
  const email = uniqueEmail("ann");
  const form = page.getByRole("form", { name: "Create a user" });
  await form.getByLabel("Name").fill("Erin Example");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption("ANNOTATOR");
  await form.getByLabel("Initial password").fill("erin-password-1");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toHaveText(`Created ${email}.`);
  await expect(page.getByTestId(`user-row-${email}`)).toContainText("annotator");

  const { ctx, page: annotator } = await signedInPage(browser, { email, password: "erin-password-1" });
  await expect(annotator).toHaveURL(/\/tasks$/);
  const nav = annotator.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["My tasks"]);

  const res = await annotator.goto("/admin/users");
  expect(res?.status()).toBe(403);
  await expect(annotator.getByRole("heading", { name: /403/ })).toBeVisible();
  await expect(annotator.getByText(email)).toHaveCount(0);

  // The JSON route behind the same action refuses too, with the cookie of a signed-in annotator.
  const api = await annotator.request.get("/api/users");
  expect(api.status()).toBe(403);
  const post = await annotator.request.post("/api/users", {
    headers: { origin: new URL(annotator.url()).origin },
    data: { email: uniqueEmail("x"), name: "X", role: "ADMIN", password: "xxxxxxxxxxxx" },
  });
  expect(post.status()).toBe(403);
  await ctx.close();
});

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const wrong = await page.getByRole("alert").filter({ hasText: /./ }).textContent();
  await page.getByLabel("Email").fill(uniqueEmail("nobody"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /./ })).toHaveText(wrong!);
  expect(wrong).toBe("Invalid email or password.");
});

test("an invited annotator sets a password through the one-time link", async ({ page, browser }) => {
  await signIn(page, ADMIN);
  await page.goto("/admin/users");
  const email = uniqueEmail("inv");
  const form = page.getByRole("form", { name: "Invite by link" });
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Create invitation" }).click();
  const link = await page.getByTestId("invite-link").textContent();
  expect(link).toMatch(/\/invite\/[\w-]{20,}$/);

  const ctx = await browser.newContext();
  const invited = await ctx.newPage();
  await invited.goto(link!);
  await invited.getByLabel("Your name").fill("Ivy Invited");
  await invited.getByLabel("Password", { exact: true }).fill("ivy-password-1");
  await invited.getByLabel("Repeat password").fill("ivy-password-1");
  await invited.getByRole("button", { name: "Create my account" }).click();
  await expect(invited).toHaveURL(/\/tasks$/);
  await invited.goto(link!);
  await expect(invited.getByText("This invitation has already been used.")).toBeVisible();
  await ctx.close();
});

test("the sign-in and users pages pass an accessibility check", async ({ page }) => {
  await page.goto("/sign-in");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await signIn(page, ADMIN);
  await page.goto("/admin/users");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});
