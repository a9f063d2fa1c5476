import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./fixtures/auth";

test("an admin sets a student's price per CPU-hour on the Systems page, and it is kept", async ({ page }, testInfo) => {
  await signIn(page, ADMIN);
  await page.goto("/systems");
  const form = page.getByRole("form", { name: "Price of paraphrase-student-tiny" });
  const cpu = form.getByLabel("per CPU-hour");
  await cpu.fill("0.09");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await form.screenshot({ path: testInfo.outputPath("price-form.png") });
  await page.reload();
  await expect(
    page.getByRole("form", { name: "Price of paraphrase-student-tiny" }).getByLabel("per CPU-hour"),
  ).toHaveValue("0.09");
  // Cleared again, so other tests see the demo as seeded.
  const again = page.getByRole("form", { name: "Price of paraphrase-student-tiny" });
  await again.getByLabel("per CPU-hour").fill("");
  await again.getByRole("button", { name: "Save" }).click();
  await expect(again.getByRole("status")).toHaveText("Saved.");
});
