/**
 * Times the results statistics on a study of realistic size.
 *   npx tsx bench/results/run.ts [--items 2000] [--samples 1000] [--runs 3]
 * Default: 2,000 items x 3 student-teacher pairs x 3 annotators x 4 criteria x 2 outputs
 * = 144,000 ratings and 18,000 preferences, B = 1,000 bootstraps. Prints milliseconds; the
 * budget for the whole results page is 2 s of server time, so the statistics must stay well
 * under that.
 */
import { performance } from "node:perf_hooks";
import { computeStudyStatistics, StudyStatisticsInputSchema, syntheticStudy } from "@/lib/stats";

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const items = arg("items", 2000);
const samples = arg("samples", 1000);
const runs = arg("runs", 3);

let started = performance.now();
const study = syntheticStudy({
  items,
  studentEffects: [-0.5, -0.1, 0.05],
  annotatorsPerPair: 3,
  annotatorPool: 60,
  criteria: ["semantic_similarity", "lexical_diversity", "syntactic_diversity", "fluency"],
  seed: 1,
});
const synthMs = performance.now() - started;

started = performance.now();
const input = StudyStatisticsInputSchema.parse({ ...study, options: { bootstrapSamples: samples } });
const parseMs = performance.now() - started;

// Wall time suffers when other processes share the CPU; CPU time (user + system of this
// process) is the steadier figure on a busy machine, so both are printed.
const times: number[] = [];
const cpuTimes: number[] = [];
let result = computeStudyStatistics(input);
for (let run = 0; run < runs; run++) {
  const cpuStart = process.cpuUsage();
  started = performance.now();
  result = computeStudyStatistics(input);
  times.push(performance.now() - started);
  const cpu = process.cpuUsage(cpuStart);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
}
started = performance.now();
const json = JSON.stringify(result);
const serialiseMs = performance.now() - started;

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
console.log(`ratings ${study.ratings.length}, preferences ${study.preferences.length}, items ${items}, B = ${samples}`);
console.log(
  `synthesise ${fmt(synthMs)} | zod parse ${fmt(parseMs)} | JSON ${fmt(serialiseMs)} (${(json.length / 1024).toFixed(0)} KiB)`,
);
console.log(
  `computeStudyStatistics wall: best ${fmt(Math.min(...times))}, runs ${times.map((t) => t.toFixed(0)).join(", ")} ms`,
);
console.log(
  `computeStudyStatistics CPU:  best ${fmt(Math.min(...cpuTimes))}, runs ${cpuTimes.map((t) => t.toFixed(0)).join(", ")} ms`,
);
console.log(
  `(first call, not counted above, includes JIT warm-up; machine load average ${(await import("node:os")).loadavg()[0].toFixed(1)})`,
);
