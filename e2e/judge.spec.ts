import { expect, test } from "@playwright/test";
import { RESEARCHER, signIn } from "./fixtures/auth";

test("a researcher runs the LLM judge on the demo study and sees an honest comparison", async ({ page }) => {
  await signIn(page, RESEARCHER);
  await page.goto("/studies");
  await page.getByRole("link", { name: /Demo: everyday paraphrases/ }).click();
  await page.getByRole("link", { name: "LLM judge" }).click();
  await expect(page.getByRole("heading", { name: "LLM judge beside the annotators" })).toBeVisible();
  await page.getByRole("button", { name: "Run the LLM judge" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Queued|judge/ })).toContainText(/Queued: \d+ judgements/);
  const job = page.locator("[data-testid^=job-]").first();
  await expect(job).toContainText("succeeded", { timeout: 60_000 });
  await page.reload();
  await expect(page.getByText(/Pairs judged in both orders: [1-9]\d*/)).toBeVisible();
  // The demo's ratings are simulated, so there is nothing real to compare with, and the page says so.
  await expect(page.getByTestId("preference-agreement")).toContainText(/not enough data \(only 0 pairs/i);
  await expect(page.getByRole("table", { name: /Judge and annotators per criterion/ })).toContainText(
    "Meaning preservation",
  );
  // The results page shows the judge beside the humans too.
  await page.getByRole("link", { name: "Back to the study" }).click();
  await page.getByRole("link", { name: "Results" }).click();
  const section = page.getByRole("region", { name: "LLM judge beside the annotators" });
  await expect(section).toContainText(/Pairs judged in both orders: [1-9]/);
});
