/** Table and target checks of the inference benchmark. */
export type Row = {
  id: string;
  model: string;
  batch: number;
  strategy: string;
  useCache: boolean;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  sentencesPerSec: number;
  paraphrasesPerSec: number;
  decoderGflops: number;
  decoderShareOfPeak: number;
  generated: number[];
  /** Fastest PyTorch p50 over the thread counts tried. */
  torchP50Ms?: number;
  torchNote?: string;
};

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const num = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(digits));

export function printReport(r: {
  rows: Row[];
  peak: number;
  tokens: number;
  threads: number;
  torchThreads: number;
  minutes: number;
}): void {
  const head = [
    "model/batch/strategy/cache",
    "runs",
    "p50 ms",
    "p95 ms",
    "sent/s",
    "para/s",
    "dec GF/s",
    "%peak",
    "torch p50",
    "x torch",
    "x nocache",
  ];
  const widths = [40, 5, 9, 9, 8, 8, 9, 6, 10, 8, 9];
  console.log(
    `\nInference benchmark: ${r.tokens} forced new tokens, onnxruntime ${r.threads} threads, torch ${r.torchThreads} threads`,
  );
  console.log(head.map((h, i) => pad(h, widths[i])).join(" "));
  for (const row of r.rows) {
    const other = r.rows.find((x) => x.id === row.id.replace("/cache", "/nocache"));
    const cells = [
      row.id,
      String(row.runs),
      num(row.p50Ms, 0),
      num(row.p95Ms, 0),
      num(row.sentencesPerSec),
      num(row.paraphrasesPerSec),
      num(row.decoderGflops),
      num(row.decoderShareOfPeak * 100, 0),
      num(row.torchP50Ms, 0),
      row.torchP50Ms ? num(row.torchP50Ms / row.p50Ms, 2) : "-",
      row.useCache && other ? num(other.p50Ms / row.p50Ms, 2) : "-",
    ];
    console.log(cells.map((c, i) => pad(c, widths[i])).join(" "));
  }
  const target = r.rows.find((x) => x.id === "t5-small-random/b16/beam4/cache");
  const nocache = r.rows.find((x) => x.id === "t5-small-random/b16/beam4/nocache");
  console.log(`\nMatMul peak ${r.peak.toFixed(1)} GFLOP/s. Targets, T5-small-sized model, batch 16, beam 4:`);
  if (target) {
    const vsTorch = target.torchP50Ms ? target.torchP50Ms / target.p50Ms : NaN;
    const check = (ok: boolean) => (ok ? "met" : "MISSED");
    console.log(
      `  throughput vs PyTorch eager: ${num(vsTorch, 2)}x (target >= 1.5x): ${check(vsTorch >= 1.5)} [onnx p50 of ${target.runs} runs ${num(target.p50Ms, 0)} ms; torch p50: ${target.torchNote ?? "-"}]`,
    );
    console.log("    (torch's 1 thread is its own pool: OpenBLAS still runs the matrix products on every core)");
    console.log(
      `  decoder share of MatMul peak: ${num(target.decoderShareOfPeak * 100, 0)}% (target >= 25%): ${check(target.decoderShareOfPeak >= 0.25)}`,
    );
    if (nocache) {
      const speedup = nocache.p50Ms / target.p50Ms;
      console.log(
        `  KV cache speed-up over no cache at ${r.tokens} tokens: ${num(speedup, 2)}x (target >= 2x): ${check(speedup >= 2)}`,
      );
    }
  }
  console.log(`(whole benchmark: ${r.minutes.toFixed(1)} min)`);
}
