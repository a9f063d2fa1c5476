import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

// What a production build depends on. Tests and specs are left out so editing them does not
// force a rebuild.
const INPUTS = [
  "app",
  "lib",
  "proxy.ts",
  "next.config.ts",
  "package-lock.json",
  "prisma/schema.prisma",
  "tsconfig.json",
];
const FINGERPRINT = ".next/source-fingerprint";

async function walk(p: string, out: string[]) {
  if (!existsSync(p)) return;
  const s = await stat(p);
  if (s.isFile()) {
    if (!/\.(int\.)?test\.ts$/.test(p)) out.push(`${p}:${s.size}:${Math.floor(s.mtimeMs)}`);
    return;
  }
  for (const e of await readdir(p)) {
    if (e === "generated" || e === "node_modules") continue;
    await walk(path.join(p, e), out);
  }
}

export async function sourceFingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const i of INPUTS) await walk(i, parts);
  return createHash("sha256").update(parts.sort().join("\n")).digest("hex");
}

/** True when there is no build or the sources changed since it was made. */
export async function buildIsStale(): Promise<boolean> {
  if (!existsSync(".next/BUILD_ID") || !existsSync(FINGERPRINT)) return true;
  return (await readFile(FINGERPRINT, "utf8")) !== (await sourceFingerprint());
}

export async function writeBuildFingerprint(): Promise<void> {
  await writeFile(FINGERPRINT, await sourceFingerprint());
}
