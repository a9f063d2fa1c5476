import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findModel } from "../../lib/inference/discover-models";
import { intraOpThreads } from "../../lib/inference/session-cache";
import { loadModel } from "../../lib/inference/seq2seq-model";
import { OPTIMUM_DIR } from "../../lib/inference/testing/optimum";
import { quantile } from "../../lib/stats";
import { timeGeneration } from "./measure";

const SCRIPT = fileURLToPath(new URL("./t5_small.py", import.meta.url));
const DEMO = fileURLToPath(new URL("../../models/train-student/demo-sources.txt", import.meta.url));

function py(python: string, args: string[]): { ok: boolean; lines: string[]; err: string } {
  const r = spawnSync(python, [SCRIPT, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  const lines = (r.stdout ?? "").trim().split("\n").filter(Boolean);
  return {
    ok: r.status === 0,
    lines,
    err: r.error?.message ?? (r.stderr ?? "").trim().split("\n").slice(-3).join(" "),
  };
}

const agree = (a: number[][], b: number[][]) => a.filter((s, i) => JSON.stringify(s) === JSON.stringify(b[i])).length;

/**
 * The issue's speed targets on a T5-small-sized Hugging Face T5 (random weights, built once into
 * `work` by t5_small.py): the app on its optimum-layout export (fp32 and int8) against
 * transformers' generate() and Optimum's ORTModelForSeq2SeqLM on the same weights and input ids.
 * Beam 4 x 4 returned, batch 16, exactly `tokens` new tokens. Skips, saying why, without Python.
 */
export async function t5SmallBench(opts: { work: string; tokens: number; runs: number; python: string }) {
  const { work, tokens, runs, python } = opts;
  console.log(
    `\n== T5-small-sized Hugging Face T5 (random weights): beam 4 x 4 returned, batch 16, ${tokens} tokens ==`,
  );
  const check = py(python, ["check"]);
  const status = check.lines.length ? (JSON.parse(check.lines.at(-1)!) as { ok: boolean; why?: string }) : null;
  if (!status?.ok) {
    console.log(
      `skipped: ${python} cannot build the model (${status?.why ?? check.err}); ` +
        "pip install torch transformers onnx onnxruntime, then run with PYTHON=<that python>",
    );
    return;
  }
  const dir = path.join(work, "t5-small-hf");
  if (!existsSync(path.join(work, "t5-small-hf-int8", "decoder_with_past_model.onnx"))) {
    console.log(`building it into ${dir} (once) ...`);
    mkdirSync(work, { recursive: true });
    const built = py(python, ["build", work, path.join(OPTIMUM_DIR, "t5", "default")]);
    if (!built.ok) {
      console.log(`skipped: building failed (${built.err})`);
      return;
    }
    console.log(built.lines.at(-1));
  }
  const fp32 = await loadModel((await findModel("t5-small-hf", work))!);
  const int8 = await loadModel((await findModel("t5-small-hf-int8", work))!);
  console.log(
    `parameters ${fp32.info.parameterCount.toLocaleString("en")} (fp32), ` +
      `${int8.info.parameterCount.toLocaleString("en")} (int8, ${int8.info.precision}); ` +
      `size ${(fp32.info.sizeOnDiskBytes / 1e6).toFixed(0)} MB / ${(int8.info.sizeOnDiskBytes / 1e6).toFixed(0)} MB`,
  );
  const inputs = readFileSync(DEMO, "utf8").trim().split("\n").slice(0, 16);
  const options = {
    strategy: "beam",
    numBeams: 4,
    numReturnSequences: 4,
    maxNewTokens: tokens,
    minNewTokens: tokens,
  } as const;
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ");
  console.log(`load average before: ${load()} (${os.cpus().length} cores, ${intraOpThreads()} threads)`);
  const rows: { name: string; p50?: number; top?: number[][]; note?: string }[] = [];
  for (const [name, model] of [
    ["app fp32", fp32],
    ["app int8", int8],
  ] as const) {
    const t = await timeGeneration(model, inputs, options, { warmup: 1, runs });
    if (!t.usedKvCache) throw new Error(`${name} ran without the key/value cache`);
    rows.push({ name, p50: quantile(t.latenciesMs, 0.5), top: t.sequences.map((s) => s[0]) });
  }
  const ids = inputs.map((t) => fp32.tokenizer.encode(fp32.info.taskPrefix + t).ids);
  const width = Math.max(...ids.map((r) => r.length));
  const planFile = path.join(work, "t5-small-plan.json");
  writeFileSync(
    planFile,
    JSON.stringify({
      threads: intraOpThreads(),
      input_ids: ids.map((r) => [...r, ...Array(width - r.length).fill(0)]),
      attention_mask: ids.map((r) => [...r.map(() => 1), ...Array(width - r.length).fill(0)]),
      num_beams: 4,
      num_return_sequences: 4,
      max_new_tokens: tokens,
      min_new_tokens: tokens,
      runs,
    }),
  );
  const timed = py(python, ["time", work, planFile]);
  for (const line of timed.lines) {
    const r = JSON.parse(line) as { row: string; latenciesMs?: number[]; top?: number[][]; skipped?: string };
    const name = r.row === "optimum" ? "Optimum ORTModelForSeq2SeqLM fp32" : "transformers generate() fp32 (torch)";
    rows.push(r.latenciesMs ? { name, p50: quantile(r.latenciesMs, 0.5), top: r.top } : { name, note: r.skipped });
  }
  if (!timed.ok) rows.push({ name: "Python baselines", note: `failed (${timed.err})` });
  rows.push({ name: "Python onnxruntime loop", note: "not measured (Optimum's row is that loop, in Python)" });
  console.log(`load average after: ${load()}`);
  const app = rows[0];
  for (const r of rows) {
    const figure =
      r.p50 === undefined ? r.note : `${r.p50.toFixed(0)} ms, app fp32 ${(r.p50 / app.p50!).toFixed(2)}x as fast`;
    console.log(`  ${r.name.padEnd(38)} ${figure}`);
  }
  const by = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
  const [a32, a8, tf, opt] = [by("app fp32")!, by("app int8")!, by("transformers"), by("Optimum")];
  if (tf?.top) {
    console.log(
      `top beams: app fp32 = transformers ${agree(a32.top!, tf.top)}/16; app int8 = transformers ${agree(a8.top!, tf.top)}/16; app int8 = app fp32 ${agree(a8.top!, a32.top!)}/16`,
    );
    console.log(
      `target int8 >= 3x transformers: ${(tf.p50! / a8.p50!).toFixed(2)}x ` +
        `(int8 top beams equal to the float model's: ${agree(a8.top!, a32.top!)}/16)`,
    );
  }
  if (opt?.p50 !== undefined) console.log(`target fp32 >= 2x Optimum ORT: ${(opt.p50 / a32.p50!).toFixed(2)}x`);
  else console.log(`target fp32 >= 2x Optimum ORT: not measured (${opt?.note ?? "no Python baseline"})`);
}
