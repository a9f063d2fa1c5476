/**
 * Inference benchmark: the ONNX runner against PyTorch eager on the same weights and settings.
 *   npx tsx bench/inference/run.ts [--tokens 32] [--runs 3] [--torch-threads 2] [--quick] [--layouts-only] [--t5-only]
 *
 * --t5-only: only the Hugging Face T5-small-sized rows (t5-small.ts: app fp32 and int8 against
 * transformers' generate() and Optimum ORT; PYTHON names a Python with torch, transformers, onnx
 * and onnxruntime, else those rows say so and are skipped).
 *
 * Models: the shipped student, and a T5-small-sized random-weight model that
 * bench/inference/torch_baseline.py builds through the student's export path into bench/.work/
 * (git-ignored, built once). Every run generates exactly --tokens new tokens (minNewTokens =
 * maxNewTokens). Prints a table, the targets, and writes bench/.work/inference-results.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findModel } from "../../lib/inference/discover-models";
import { intraOpThreads } from "../../lib/inference/session-cache";
import { loadModel, type LoadedModel } from "../../lib/inference/seq2seq-model";
import { quantile } from "../../lib/stats";
import { generationDecoderFlops, type DecoderShape } from "./flops";
import { layoutsBench } from "./layouts";
import { t5SmallBench } from "./t5-small";
import { matmulPeak, timeGeneration } from "./measure";
import { printReport, type Row } from "./report";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WORK = path.join(ROOT, "bench/.work");
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const quick = process.argv.includes("--quick");
const TOKENS = arg("tokens", 32);
const RUNS = arg("runs", quick ? 1 : 3);
const TORCH_THREADS = arg("torch-threads", intraOpThreads());
const PY = process.env.PYTHON ?? "/usr/bin/python3";
const TARGET = "t5-small-random/b16/beam4/cache";

const STRATEGIES = {
  greedy: { strategy: "greedy" },
  beam4: { strategy: "beam", numBeams: 4, numReturnSequences: 4 },
  diverse4x1: { strategy: "diverse-beam", numBeams: 4, numBeamGroups: 4, diversityPenalty: 1, numReturnSequences: 4 },
  sample4: { strategy: "sampling", numReturnSequences: 4, topK: 50 },
} as const;

function python(args: string[]): string {
  const r = spawnSync(PY, [path.join(ROOT, "bench/inference/torch_baseline.py"), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`torch_baseline.py ${args[0]} failed (exit ${r.status})`);
  return r.stdout.trim().split("\n").pop()!;
}

function shapeOf(model: LoadedModel): DecoderShape {
  const c = JSON.parse(readFileSync(path.join(model.info.path, "config.json"), "utf8"));
  return { dModel: c.d_model, dFf: c.d_ff, layers: c.num_decoder_layers, vocab: c.vocab_size };
}

async function main() {
  const t0 = Date.now();
  // The decode plans of real optimum-cli exports (seconds): cache vs merged vs no cache vs int8
  if (!process.argv.includes("--t5-only")) await layoutsBench({ tokens: TOKENS, runs: RUNS + 2 });
  if (process.argv.includes("--layouts-only")) return;
  // The targets on a real T5 architecture: app fp32 / int8 against transformers and Optimum
  await t5SmallBench({ work: WORK, tokens: TOKENS, runs: RUNS, python: process.env.PYTHON ?? "python3" });
  if (process.argv.includes("--t5-only")) return;
  if (
    !existsSync(path.join(WORK, "t5-small-random/decoder_with_past_model.onnx")) ||
    !existsSync(path.join(WORK, "matmul.onnx"))
  ) {
    console.log("building the T5-small-sized random model into bench/.work ...");
    try {
      console.log(python(["build", WORK]));
    } catch (e) {
      // Building needs Debian's python3-torch and python3-onnx: without them only the rows above run
      console.log(
        `skipped the student and T5-small-sized rows: ${(e as Error).message} ` +
          "(apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread)",
      );
      return;
    }
  }
  // Other work on the machine lowers every figure: say how loaded it was
  const load = () => os.loadavg()[0].toFixed(1);
  console.log(`load average at start: ${load()} on ${os.cpus().length} cores`);
  let peak = await matmulPeak(path.join(WORK, "matmul.onnx"));
  console.log(`onnxruntime-node MatMul 2048^3: ${peak.toFixed(1)} GFLOP/s (${intraOpThreads()} threads)`);
  const demo = readFileSync(path.join(ROOT, "models/train-student/demo-sources.txt"), "utf8").trim().split("\n");
  const models = [
    {
      key: "student",
      dir: path.join(ROOT, "models"),
      name: "paraphrase-student-tiny",
      weights: path.join(ROOT, "models/.cache/paraphrase-student-tiny.pt"),
    },
    { key: "t5-small-random", dir: WORK, name: "t5-small-random", weights: path.join(WORK, "t5-small-random.pt") },
  ];
  const rows: Row[] = [];
  const torchCases: object[] = [];
  for (const m of models) {
    const model = await loadModel((await findModel(m.name, m.dir))!);
    const shape = shapeOf(model);
    const isBig = m.key !== "student";
    for (const batch of [1, 16]) {
      const inputs = demo.slice(0, batch);
      const encoded = inputs.map((t) => model.tokenizer.encode(model.info.taskPrefix + t).ids);
      for (const [label, strategy] of Object.entries(STRATEGIES)) {
        const options = { ...strategy, maxNewTokens: TOKENS, minNewTokens: TOKENS };
        for (const useCache of [true, false]) {
          // The big model without cache costs tens of seconds a run: one run, no warm-up. The
          // target case gets more runs on both sides: a shared machine moves single runs by 10%
          const heavy = isBig && !useCache;
          const isTarget = `${m.key}/b${batch}/${label}/${useCache ? "cache" : "nocache"}` === TARGET;
          const reps = {
            warmup: heavy ? 0 : 1,
            runs: heavy ? 1 : isTarget ? RUNS + 4 : isBig ? Math.max(1, RUNS - 1) : RUNS + 2,
          };
          const t = await timeGeneration(model, inputs, { ...options, useCache }, reps);
          const returns = "numReturnSequences" in strategy ? strategy.numReturnSequences : 1;
          const decoderRows = batch * ("numBeams" in strategy ? strategy.numBeams : returns);
          const flops = generationDecoderFlops(shape, {
            rows: decoderRows,
            newTokens: TOKENS,
            encoderLen: t.encoderLen,
            useCache,
            firstStepRows: batch,
          });
          const decoderMs = quantile(t.decoderMs, 0.5);
          const p50 = quantile(t.latenciesMs, 0.5);
          const row: Row = {
            id: `${m.key}/b${batch}/${label}/${useCache ? "cache" : "nocache"}`,
            model: m.key,
            batch,
            strategy: label,
            useCache,
            runs: t.latenciesMs.length,
            p50Ms: p50,
            p95Ms: quantile(t.latenciesMs, 0.95),
            sentencesPerSec: batch / (p50 / 1000),
            paraphrasesPerSec: (batch * returns) / (p50 / 1000),
            decoderGflops: flops / (decoderMs / 1000) / 1e9,
            decoderShareOfPeak: flops / (decoderMs / 1000) / 1e9 / peak,
            generated: t.generated,
          };
          rows.push(row);
          console.log(`  ${row.id}: p50 ${p50.toFixed(0)} ms, decoder ${row.decoderGflops.toFixed(1)} GFLOP/s`);
          if (useCache && existsSync(m.weights)) {
            const { strategy: s, ...rest } = options as Record<string, unknown>;
            torchCases.push({
              id: row.id,
              model: m.key,
              weights: m.weights,
              strategy: s,
              input_ids: encoded.map((ids) => [
                ...ids,
                ...Array(Math.max(...encoded.map((e) => e.length)) - ids.length).fill(0),
              ]),
              attention_mask: encoded.map((ids) => [
                ...ids.map(() => 1),
                ...Array(Math.max(...encoded.map((e) => e.length)) - ids.length).fill(0),
              ]),
              options: torchOptions(rest),
              warmup: 1,
              runs: row.id === TARGET ? RUNS + 2 : isBig ? Math.max(1, RUNS - 2) : RUNS,
            });
          }
        }
      }
    }
  }
  // torch's OpenMP pool degrades badly when the cores are shared (another process, or spinning
  // onnxruntime threads): the target case also runs on 1 thread, and the faster one counts
  const target = torchCases.find((c) => (c as { id: string }).id === TARGET);
  if (target && TORCH_THREADS !== 1) torchCases.push({ ...target, threads: 1 });
  const planFile = path.join(WORK, "torch-plan.json");
  writeFileSync(planFile, JSON.stringify({ threads: TORCH_THREADS, cases: torchCases }));
  console.log(`PyTorch eager baseline (${TORCH_THREADS} threads, KV cache on) ...`);
  const torch = JSON.parse(python(["time", WORK, planFile])) as {
    threads: number;
    results: { id: string; threads: number; latenciesMs: number[] }[];
  };
  for (const r of torch.results) {
    const row = rows.find((x) => x.id === r.id)!;
    const p50 = quantile(r.latenciesMs, 0.5);
    if (row.torchP50Ms === undefined || p50 < row.torchP50Ms) row.torchP50Ms = p50;
    row.torchNote = [row.torchNote, `${r.threads} thr ${p50.toFixed(0)} ms`].filter(Boolean).join(", ");
  }
  // The peak is the best of two measurements, before and after, so a busy moment does not lower it
  peak = Math.max(peak, await matmulPeak(path.join(WORK, "matmul.onnx")));
  for (const row of rows) row.decoderShareOfPeak = row.decoderGflops / peak;
  console.log(`load average at end: ${load()}`);
  printReport({
    rows,
    peak,
    tokens: TOKENS,
    threads: intraOpThreads(),
    torchThreads: TORCH_THREADS,
    minutes: (Date.now() - t0) / 60000,
  });
  writeFileSync(
    path.join(WORK, "inference-results.json"),
    JSON.stringify({ peakGflops: peak, tokens: TOKENS, rows }, null, 1),
  );
}

function torchOptions(o: Record<string, unknown>) {
  return {
    max_new_tokens: o.maxNewTokens,
    min_new_tokens: o.minNewTokens,
    num_beams: o.numBeams ?? 1,
    num_beam_groups: o.numBeamGroups ?? 1,
    diversity_penalty: o.diversityPenalty ?? 0,
    num_return_sequences: o.numReturnSequences ?? 1,
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
