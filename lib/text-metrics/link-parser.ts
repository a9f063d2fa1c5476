/**
 * Constituency trees from Debian's link-grammar parser (`link-parser`, run offline as a child
 * process: one process per batch, one sentence per line, `-echo` so each tree is matched to the
 * sentence it belongs to). When the program is absent, `parserStatus()` says how to install it and
 * the tree-edit-distance metric reads "unavailable: ..." while every other metric still works.
 * Trees are cached per process by sentence, so a page viewed twice parses nothing the second time.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { parseBracketedLabels, type Tree } from "./tree-edit-distance";

export const PARSER_UNAVAILABLE =
  "unavailable: install the link-grammar parser (Debian/Ubuntu: apt-get install link-grammar; macOS: brew install link-grammar), then restart";

const CACHE_LIMIT = 200_000;
const cache = new Map<string, Tree | null>();

/** The link-parser executable on PATH, or null. */
export function findLinkParser(searchPath = process.env.PATH ?? ""): string | null {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, "link-parser");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export function parserStatus(searchPath?: string): { ok: true; path: string } | { ok: false; reason: string } {
  const found = findLinkParser(searchPath);
  return found ? { ok: true, path: found } : { ok: false, reason: PARSER_UNAVAILABLE };
}

/** One line per sentence as link-parser reads it: no newline, and no leading "!" (its command prefix). */
function asInputLine(sentence: string): string {
  // Brackets would be printed inside the tree as words and unbalance it.
  return sentence
    .replace(/[()]/g, " , ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[!\s]+/, "");
}

/**
 * Parses sentences into phrase-label trees (null for a sentence that yields no tree, such as an
 * empty one). Throws with the install hint when the parser is missing.
 */
export async function parseConstituencies(
  sentences: readonly string[],
  opts: { executable?: string; timeoutSeconds?: number } = {},
): Promise<(Tree | null)[]> {
  const lines = sentences.map(asInputLine);
  const todo = [...new Set(lines.filter((l) => l && !cache.has(l)))];
  if (todo.length) {
    const executable = opts.executable ?? findLinkParser();
    if (!executable) throw new Error(PARSER_UNAVAILABLE);
    const trees = await runParser(executable, todo, opts.timeoutSeconds ?? 5);
    if (cache.size + todo.length > CACHE_LIMIT) cache.clear();
    todo.forEach((line, i) => cache.set(line, trees[i]));
  }
  return lines.map((l) => (l ? (cache.get(l) ?? null) : null));
}

function runParser(executable: string, lines: string[], timeoutSeconds: number): Promise<(Tree | null)[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      executable,
      ["en", "-constituents=1", "-graphics=0", "-verbosity=0", "-echo=1", `-timeout=${timeoutSeconds}`],
      { stdio: ["pipe", "pipe", "ignore"] },
    );
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (out += chunk));
    child.on("error", (err) => reject(new Error(`${PARSER_UNAVAILABLE} (${err.message})`)));
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`link-parser exited with code ${code}`));
      resolve(readTrees(out, lines));
    });
    child.stdin.end(lines.join("\n") + "\n");
  });
}

/** Splits link-parser's output into the first tree after each echoed sentence. */
export function readTrees(output: string, lines: readonly string[]): (Tree | null)[] {
  const result: (Tree | null)[] = lines.map(() => null);
  const rows = output.split("\n");
  let current = -1;
  let buffer = "";
  let depth = 0;
  for (const row of rows) {
    if (depth === 0 && current + 1 < lines.length && row.trim() === lines[current + 1]) {
      current++;
      buffer = "";
      continue;
    }
    if (current < 0 || result[current] !== null) continue;
    if (depth === 0 && !row.startsWith("(")) continue;
    buffer += ` ${row}`;
    for (const c of row) depth += c === "(" ? 1 : c === ")" ? -1 : 0;
    if (depth === 0) {
      try {
        result[current] = parseBracketedLabels(buffer);
      } catch {
        result[current] = null;
      }
      buffer = "";
    }
  }
  return result;
}
