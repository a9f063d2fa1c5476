// `npm test`: every layer in order — lint, type-check, unit, integration (real Postgres),
// end-to-end (real Chromium against `npm start`) — then one summary line that CI reads:
// `N passed, N failed`. Exits non-zero when anything failed.
//   npm test -- --only=unit,int     run some layers (lint, types, unit, int, e2e)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const REPORTS = ".test-reports";
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(cmd, args, extraEnv = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return { code: r.status ?? 1, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const layers = [
  {
    key: "lint",
    name: "lint (eslint, prettier, architecture)",
    run: () => run("npm", ["run", "--silent", "lint"]),
    count: (r) => (r.code === 0 ? [1, 0] : [0, 1]),
  },
  {
    key: "types",
    name: "type-check (tsc)",
    run: () => run("npx", ["--no-install", "tsc", "--noEmit", "-p", "."]),
    count: (r) => (r.code === 0 ? [1, 0] : [0, 1]),
  },
  ...["unit", "integration"].map((project) => ({
    key: project === "unit" ? "unit" : "int",
    name: `${project} (vitest)`,
    run: () =>
      run("npx", [
        "--no-install",
        "vitest",
        "run",
        "--project",
        project,
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${REPORTS}/${project}.json`,
      ]),
    count: (r) => {
      const j = readJson(`${REPORTS}/${project}.json`);
      if (!j) return [0, 1];
      // A file that fails to load has no failed test in it, but it failed: count it once.
      const brokenFiles = j.testResults.filter(
        (t) => t.status === "failed" && !t.assertionResults.some((a) => a.status === "failed"),
      ).length;
      const failed = j.numFailedTests + brokenFiles;
      return [j.numPassedTests, failed + (r.code !== 0 && failed === 0 ? 1 : 0)];
    },
  })),
  {
    key: "e2e",
    name: "end-to-end (playwright)",
    run: () => run("npx", ["--no-install", "playwright", "test"], { PLAYWRIGHT_JSON: `${REPORTS}/e2e.json` }),
    count: (r) => {
      const j = readJson(`${REPORTS}/e2e.json`);
      if (!j?.stats) return [0, 1];
      const failed = j.stats.unexpected + (r.code !== 0 && j.stats.unexpected === 0 ? 1 : 0);
      return [j.stats.expected + j.stats.flaky, failed];
    },
  },
];

let passed = 0;
let failed = 0;
const lines = [];
for (const layer of layers) {
  if (only && !only.includes(layer.key)) continue;
  console.log(`\n=== ${layer.name} ===`);
  const r = layer.run();
  const [p, f] = layer.count(r);
  passed += p;
  failed += f;
  lines.push(
    `${layer.name.padEnd(26)} ${String(p).padStart(4)} passed ${String(f).padStart(3)} failed  (${r.seconds}s)`,
  );
}
console.log("\n=== summary ===");
for (const l of lines) console.log(l);
if (!existsSync(REPORTS)) failed++;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
