// `npm run lint` (after ESLint): the dependency rules of the house, checked on every import
// (aliased and relative, type-only included), so a newcomer can trust the folders.
//   - units: the ground floor (lib/env.ts, lib/errors.ts, lib/db.ts, lib/ids.ts, lib/auth/,
//     lib/http/, lib/generated/), the shared leaves (lib/stats, lib/text-metrics, lib/llm,
//     lib/jobs, lib/inference, lib/audit), the domains (every other lib/ folder) and app/;
//   - no arrow up: ground < leaves < domains < app;
//   - a unit reaches another leaf or domain only through its entry file (index.ts), or its
//     schemas.ts; ground-floor files are imported directly;
//   - product code never imports test support (a testing/ folder, prisma/testing);
//   - no cycle between units.
// Exits 1 and lists every breach. ESLint's rules say the same for aliased imports in editors;
// this check also sees relative paths and cycles, which ESLint cannot.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const GROUND = new Set([
  "lib/env.ts",
  "lib/errors.ts",
  "lib/db.ts",
  "lib/ids.ts",
  "lib/auth",
  "lib/http",
  "lib/generated",
]);
export const LEAVES = new Set([
  "lib/stats",
  "lib/text-metrics",
  "lib/llm",
  "lib/jobs",
  "lib/inference",
  "lib/embeddings",
  "lib/audit",
]);
const RANK = { ground: 0, leaf: 1, domain: 2, app: 3 };

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.(ts|tsx|mjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** The unit a repository-relative path belongs to, or null outside lib/ and app/. */
export function unitOf(rel) {
  if (rel.startsWith("app/")) return "app";
  const m = /^lib\/([^/]+)(\/)?/.exec(rel);
  if (!m) return null;
  return m[2] ? `lib/${m[1]}` : `lib/${m[1]}`;
}

export function layerOf(unit) {
  if (unit === "app") return "app";
  if (GROUND.has(unit)) return "ground";
  if (LEAVES.has(unit)) return "leaf";
  return "domain";
}

const isTest = (rel) => /\.(int\.)?test\.tsx?$/.test(rel) || rel.startsWith("e2e/") || rel.startsWith("bench/");
const isTestSupport = (rel) => /(^|\/)testing\//.test(rel);

const isFileOnDisk = (abs) => existsSync(abs) && statSync(abs).isFile();

function resolveImport(fromAbs, spec, isFile) {
  let base;
  if (spec.startsWith("@/")) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(fromAbs), spec);
  else return null;
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    `${base}.mjs`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
  ];
  const hit = candidates.find(isFile);
  return hit ? path.relative(ROOT, hit).split(path.sep).join("/") : null;
}

/** Every breach of the rules among the given files (repository-relative paths). */
export function checkArchitecture(
  files,
  { readText = (rel) => readFileSync(path.join(ROOT, rel), "utf8"), isFile = isFileOnDisk } = {},
) {
  const problems = [];
  const edges = new Map(); // unit -> Map(unit -> example "file -> import")
  for (const rel of files) {
    const from = unitOf(rel);
    const imports = ts.preProcessFile(readText(rel), true, true).importedFiles.map((f) => f.fileName);
    for (const spec of imports) {
      const target = resolveImport(path.join(ROOT, rel), spec, isFile);
      if (!target) continue;
      if (!isTest(rel) && !isTestSupport(rel) && (isTestSupport(target) || /\.test\.tsx?$/.test(target)))
        problems.push(`${rel}: imports test support ${target}; product code must not ship it`);
      const to = unitOf(target);
      if (!from || !to || from === to) continue;
      const [lf, lt] = [layerOf(from), layerOf(to)];
      // Tests may wire any units together (the role matrix calls every domain), but only through entry files.
      if (RANK[lt] > RANK[lf] && !isTest(rel))
        problems.push(`${rel}: ${lf} ${from} imports ${lt} ${to} (${spec}); dependencies point down only`);
      if ((lt === "leaf" || lt === "domain") && !isTestSupport(target)) {
        const inside = target.slice(to.length + 1);
        if (inside !== "index.ts" && inside !== "schemas.ts")
          problems.push(
            `${rel}: reaches past ${to}'s entry file to ${target}; import from "@/${to}" (or its schemas.ts)`,
          );
      }
      if (isTest(rel) || isTestSupport(rel)) continue; // tests may wire any units together
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${rel} -> ${spec}`);
    }
  }
  for (const cycle of cycles(edges)) {
    const via = cycle.map((u, i) => `    ${edges.get(u).get(cycle[(i + 1) % cycle.length])}`).join("\n");
    problems.push(`import cycle between ${[...cycle, cycle[0]].join(" -> ")}:\n${via}`);
  }
  return problems;
}

/** One representative cycle per strongly connected component with more than one unit (Tarjan). */
export function cycles(edges) {
  const index = new Map(),
    low = new Map(),
    onStack = new Set(),
    stack = [],
    found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) found.push(pathWithin(new Set(scc), edges, v));
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

function pathWithin(members, edges, start) {
  // Breadth-first from start back to start inside the component: the shortest cycle through it.
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const cycle = [v];
        for (let p = prev.get(v); p !== null && p !== undefined; p = prev.get(p)) cycle.unshift(p);
        return cycle;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = ["app", "lib"]
    .flatMap((d) => walk(path.join(ROOT, d)))
    .map((f) => path.relative(ROOT, f).split(path.sep).join("/"));
  const problems = checkArchitecture(files);
  if (problems.length) {
    console.error(`Architecture check: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`Architecture check: ${files.length} files, no upward import, no reach past an entry file, no cycle.`);
}
