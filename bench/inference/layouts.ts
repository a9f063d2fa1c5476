import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findModel } from "../../lib/inference/discover-models";
import { loadModel } from "../../lib/inference/seq2seq-model";
import { OPTIMUM_MODELS, optimumReference } from "../../lib/inference/testing/optimum";
import { quantile } from "../../lib/stats";
import { timeGeneration } from "./measure";

const FIXTURES = fileURLToPath(new URL("../../lib/inference/testing/fixtures/optimum", import.meta.url));
const OPTIMUM_SCRIPT = fileURLToPath(new URL("./optimum_baseline.py", import.meta.url));

/** Optimum ORTModelForSeq2SeqLM on the same folder and inputs, or why it was skipped. */
function optimumBaseline(folder: string, plan: object): { p50?: number; skipped?: string } {
  const python = process.env.PYTHON_OPTIMUM ?? "python3";
  const tmp = mkdtempSync(path.join(os.tmpdir(), "optimum-plan-"));
  try {
    const file = path.join(tmp, "plan.json");
    writeFileSync(file, JSON.stringify(plan));
    const r = spawnSync(python, [OPTIMUM_SCRIPT, folder, file], { encoding: "utf8", maxBuffer: 1 << 24 });
    const last = (r.stdout ?? "").trim().split("\n").pop();
    if (r.status !== 0 || !last) return { skipped: `${python} failed (${r.error?.message ?? `exit ${r.status}`})` };
    const out = JSON.parse(last) as { latenciesMs?: number[]; skipped?: string };
    return out.latenciesMs ? { p50: quantile(out.latenciesMs, 0.5) } : { skipped: out.skipped };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The decode plans of real optimum-cli exports side by side (the tiny T5, Flan-T5 and BART
 * fixtures): the default export's separate decoders with the cache (what it runs), the merged
 * decoder's cache (merged-only folder), no cache at all, and int8 (the transformers.js
 * quantized files). Beam 4, batch 16, exactly `tokens` new tokens. Prints p50 ms and ratios.
 */
export async function layoutsBench(opts: { tokens: number; runs: number }): Promise<void> {
  console.log(`\n== decode plans of the optimum fixtures: beam 4 x 4 returned, batch 16, ${opts.tokens} tokens ==`);
  const header = ["model", "plan", "files", "cache", "p50 ms", "x no cache", "x default"];
  const lines: string[][] = [];
  const notes: string[] = [];
  for (const m of OPTIMUM_MODELS) {
    const dir = path.join(FIXTURES, m);
    const inputs = Array.from({ length: 16 }, (_, i) => optimumReference(m).inputs[i % 8]);
    const plans = [
      { plan: "default (split, cache)", name: "default", useCache: true },
      { plan: "merged decoder, cache", name: "merged-only", useCache: true },
      { plan: "no cache", name: "default", useCache: false },
      { plan: "int8 (split, cache)", name: "transformers-js (int8)", useCache: true },
    ];
    const measured: { plan: string; files: string; cache: boolean; p50: number }[] = [];
    for (const p of plans) {
      const info = await findModel(p.name, dir);
      if (!info) throw new Error(`fixture ${m}/${p.name} not found`);
      const model = await loadModel(info);
      const t = await timeGeneration(
        model,
        inputs,
        {
          strategy: "beam",
          numBeams: 4,
          numReturnSequences: 4,
          maxNewTokens: opts.tokens,
          minNewTokens: opts.tokens,
          useCache: p.useCache,
        },
        { warmup: 1, runs: opts.runs },
      );
      if (p.useCache && !t.usedKvCache) throw new Error(`${m}/${p.name} ran without the cache`);
      const files = p.useCache
        ? [info.plan.first, info.plan.withPast].filter((f, i, a) => f && a.indexOf(f) === i).join(" + ")
        : info.plan.noCache;
      measured.push({ plan: p.plan, files, cache: t.usedKvCache, p50: quantile(t.latenciesMs, 0.5) });
    }
    const ort = optimumBaseline(path.join(dir, "default"), {
      inputs,
      prefix: optimumReference(m).prefix,
      num_beams: 4,
      num_return_sequences: 4,
      max_new_tokens: opts.tokens,
      min_new_tokens: opts.tokens,
      runs: opts.runs,
      use_merged: false,
    });
    if (ort.p50 !== undefined) {
      measured.push({ plan: "Optimum ORTModelForSeq2SeqLM", files: "the same, split", cache: true, p50: ort.p50 });
      notes.push(
        `${m}: the default plan is ${(ort.p50 / measured[0].p50).toFixed(2)}x as fast as Optimum ORT (target >= 2x)`,
      );
    } else notes.push(`${m}: Optimum ORTModelForSeq2SeqLM baseline skipped: ${ort.skipped}`);
    const noCache = measured.find((x) => !x.cache)!.p50;
    const base = measured[0].p50;
    for (const x of measured) {
      lines.push([
        m,
        x.plan,
        x.files,
        x.cache ? "yes" : "no",
        x.p50.toFixed(1),
        `${(noCache / x.p50).toFixed(2)}x`,
        `${(base / x.p50).toFixed(2)}x`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l: string[]) => l.map((c, i) => (i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  console.log('"x no cache": how many times faster than recomputing the prefix; "x default": than the default plan.');
  for (const n of notes) console.log(n);
}
