import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./fixtures/auth";

const csv = (name: string) =>
  [
    "id,source,reference,output:gpt-imported-" + name,
    "1,The committee approved the budget on Friday.,The budget was approved by the committee on Friday.,On Friday the budget was approved.",
    "2,,,",
    "3,Heavy rain delayed the trains this morning.,,The trains were delayed by heavy rain this morning.",
  ].join("\n");

test("an admin previews an upload, sees its problems, imports the good rows and generates with the teacher", async ({
  page,
}) => {
  const tag = `${Date.now()}`;
  await signIn(page, ADMIN);
  await page.goto("/eval-sets");
  const form = page.getByRole("form", { name: "Upload an eval set" });
  await form
    .getByLabel("File")
    .setInputFiles({ name: "news.csv", mimeType: "text/csv", buffer: Buffer.from(csv(tag)) });
  const preview = page.getByTestId("upload-preview");
  await expect(preview.getByRole("status").first()).toContainText("3 rows (CSV); 1 with errors");
  await expect(preview.getByRole("list", { name: "Problems" })).toContainText("Line 3");
  await form.getByLabel("Name").fill(`E2E news ${tag}`);
  await form.getByRole("checkbox", { name: `gpt-imported-${tag}` }).check();

  // Without dropping the bad row, nothing is imported and the page says why.
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("alert")).toContainText(/line 3/i);
  await form.getByLabel(/Drop the 1 rows with errors/).check();
  await form.getByRole("button", { name: "Import" }).click();
  await expect(page).toHaveURL(/\/eval-sets\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: `E2E news ${tag}` })).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(`gpt-imported-${tag} teacher`) })).toContainText("2 of 2");

  const gen = page.getByRole("form", { name: "Generate outputs" });
  await gen.getByLabel("System").selectOption({ label: "teacher-llm (teacher LLM)" });
  await gen.getByLabel("Paraphrases per sentence (N)").fill("3");
  await gen.getByRole("button", { name: "Generate" }).click();
  await expect(gen.getByRole("status")).toContainText("Queued: 2 items to generate");
  const job = page.locator("[data-testid^=job-]").first();
  await expect(job).toContainText("succeeded", { timeout: 30_000 });
  await expect(job).toContainText("2 / 2");
  await page.reload();
  await expect(page.getByRole("row", { name: /teacher-llm teacher/ })).toContainText("2 of 2");
  await expect(page.getByRole("row", { name: /teacher-llm teacher/ })).toContainText("6");

  // Distillation data out: the teacher's paraphrases as JSONL pairs, and a manifest with the same counts.
  const exportForm = page.getByRole("form", { name: "Export distillation data" });
  const select = exportForm.getByLabel("Teacher outputs");
  await select.selectOption((await select.locator("option", { hasText: "teacher-llm" }).getAttribute("value"))!);
  const download = page.waitForEvent("download");
  await exportForm.getByRole("link", { name: "Download training pairs (JSONL)" }).click();
  const jsonl = readFileSync(await (await download).path(), "utf8");
  const pairs = jsonl
    .trim()
    .split("\n")
    .map((l: string) => JSON.parse(l));
  const href = await exportForm.getByRole("link", { name: "Download manifest (JSON)" }).getAttribute("href");
  const manifest = await (await page.request.get(href!)).json();
  expect(pairs.length).toBe(manifest.counts.kept);
  expect(manifest.counts.outputs).toBe(6);
  expect(pairs[0]).toEqual({ id: expect.any(String), source: expect.any(String), target: expect.any(String) });
});

test("a large import shows a progress bar with the rows stored, then opens the new set", async ({ page }) => {
  const tag = `${Date.now()}`;
  const rows = 30_000;
  const lines = ["id,source,output:student-" + tag];
  for (let i = 0; i < rows; i++) lines.push(`r${i},Sentence number ${i} of the progress test.,Output ${i}.`);
  await signIn(page, ADMIN);
  await page.goto("/eval-sets");
  const form = page.getByRole("form", { name: "Upload an eval set" });
  await form
    .getByLabel("File")
    .setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
  await expect(page.getByTestId("upload-preview").getByRole("status").first()).toContainText("30000 rows (CSV)", {
    timeout: 30_000,
  });
  await form.getByLabel("Name").fill(`E2E big ${tag}`);
  await form.getByRole("button", { name: "Import" }).click();
  const progress = page.getByTestId("import-progress");
  await expect(progress.getByRole("progressbar", { name: "Import progress" })).toBeVisible();
  await expect(progress).toContainText(/Stored [\d,]+ of 30,000 rows/, { timeout: 30_000 });
  await expect(page).toHaveURL(/\/eval-sets\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: `E2E big ${tag}` })).toBeVisible();
});
