import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { normaliseSettings } from "@/lib/generation";
import { syncStudentSystems } from "./index";

const FIXTURE = path.resolve("lib/inference/testing/fixtures/optimum/bart/default");
const name = `bart-gen-config-${process.pid}`;
let dir: string;

afterAll(async () => {
  await prisma.system.deleteMany({ where: { name } });
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("stores a student's generation_config decoding settings, which a generation job then applies", async () => {
  dir = await mkdtemp(path.join(tmpdir(), "models-"));
  await cp(FIXTURE, path.join(dir, name), { recursive: true });
  // As facebook/bart-large-cnn's config: beam 4, length penalty 2, no repeated trigrams.
  await writeFile(
    path.join(dir, name, "generation_config.json"),
    JSON.stringify({
      bos_token_id: 0,
      decoder_start_token_id: 2,
      eos_token_id: 2,
      forced_eos_token_id: 2,
      pad_token_id: 1,
      num_beams: 4,
      length_penalty: 2.0,
      no_repeat_ngram_size: 3,
      early_stopping: true,
      max_length: 21,
    }),
  );
  const { models } = await syncStudentSystems(prisma, dir);
  expect(models).toContain(name);
  const system = await prisma.system.findUniqueOrThrow({ where: { name }, select: { defaultSettings: true } });
  expect(system.defaultSettings).toMatchObject({
    numBeams: 4,
    lengthPenalty: 2,
    noRepeatNgramSize: 3,
    earlyStopping: true,
    maxNewTokens: 20,
  });
  // The generate form sends a strategy; everything it leaves out comes from the model's config.
  const { settings } = normaliseSettings("ONNX_MODEL", { strategy: "beam", numBeams: 4 }, system.defaultSettings);
  expect(settings).toMatchObject({ lengthPenalty: 2, noRepeatNgramSize: 3, earlyStopping: true, maxNewTokens: 20 });
});
