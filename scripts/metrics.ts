/**
 * `npm run metrics -- pairs.jsonl` (or .csv / .tsv): every automatic metric of each
 * {source, output} row, offline. Writes one JSON line per row to standard output (its other
 * fields carried through, `line` = its line in the file), then one summary line
 * ({"summary": ...}: means with 95% bootstrap intervals). Bad rows are reported on standard error
 * with their line number and do not stop the others; progress goes to standard error.
 * Exit code: 0 all rows scored, 2 some rows were bad, 1 nothing could be read.
 */
import { existsSync, readFileSync } from "node:fs";
import { embeddingProvider, type EmbeddingProvider } from "@/lib/embeddings";
import { readPairs } from "./metrics/read-pairs";
import { METRIC_KEYS, scorePairs, summarize, type MetricKey } from "./metrics/score-pairs";
import { progressReporter } from "./metrics/progress";

const USAGE = "usage: npm run metrics -- <pairs.jsonl | pairs.csv | pairs.tsv> [--no-embeddings]";

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith("--"));
  if (!file || argv.includes("--help")) {
    console.error(USAGE);
    return file ? 0 : 1;
  }
  if (!existsSync(file)) {
    console.error(`metrics: no such file: ${file}\n${USAGE}`);
    return 1;
  }
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { rows, errors, notes } = readPairs(readFileSync(file, "utf8"), file);
  for (const note of notes) console.error(`metrics: ${note}`);
  for (const e of errors) console.error(`${file}:${e.line}: ${e.message}`);
  if (rows.length === 0) {
    console.error(`metrics: no row to score in ${file}`);
    return 1;
  }

  let provider: EmbeddingProvider | null = null;
  if (!argv.includes("--no-embeddings")) {
    try {
      provider = embeddingProvider();
      console.error(`metrics: semantic similarity with ${provider.label}`);
    } catch (err) {
      console.error(`metrics: semantic similarity unavailable: ${(err as Error).message}`);
    }
  }
  const unavailable = new Map<MetricKey, string>();
  if (!provider) unavailable.set("semanticSimilarity", "unavailable: turned off or no encoder (see above)");
  const values = Object.fromEntries(METRIC_KEYS.map((k) => [k, [] as number[]])) as Record<MetricKey, number[]>;
  const progress = progressReporter(rows.length);
  let done = 0;
  for await (const chunk of scorePairs(rows, { provider }, unavailable)) {
    const lines = chunk.map((r) => {
      for (const key of METRIC_KEYS) {
        const v = r.metrics[key];
        if (typeof v === "number") values[key].push(v);
      }
      return JSON.stringify({ line: r.line, ...r.row, metrics: r.metrics });
    });
    process.stdout.write(lines.join("\n") + "\n");
    progress((done += chunk.length));
  }
  const summary = {
    file,
    rows: rows.length,
    badRows: errors.length,
    embeddingModel: provider?.model ?? null,
    metrics: summarize(values, unavailable),
  };
  process.stdout.write(JSON.stringify({ summary }) + "\n");
  for (const [key, reason] of unavailable) console.error(`metrics: ${key}: ${reason}`);
  return errors.length ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`metrics: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
