import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { env } from "../env";
import { AppError, NotFoundError, ValidationError } from "../errors";
import type { WorkerError, WorkerRequest, WorkerResponse } from "./inference-worker";
import { ParaphraseRequestSchema, type ParaphraseRequestInput, type ParaphraseResult } from "./schemas";

/**
 * The app's way to run the student: requests go to one worker thread that owns the ONNX
 * sessions, so generation never blocks the server's event loop.
 *
 * The worker runs the TypeScript source through tsx's CommonJS require hook, the same way under
 * vitest, tsx scripts and `next start`: a Next.js bundle has no compiled copy of the worker, so
 * its source file is located beside this module or, when bundling moved this module, under
 * <cwd>/lib/inference. INFERENCE_WORKER_PATH overrides both (a compiled .js/.mjs needs no hook).
 * Not `execArgv: ["--import", "tsx"]`: Node 20 does not apply ESM loader hooks inside worker
 * threads (the worker fails with ERR_UNKNOWN_FILE_EXTENSION), while the require hook works there.
 */
type Pending = { resolve: (r: ParaphraseResult) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

export function workerEntryPath(): string {
  const candidates: string[] = [];
  const configured = env().INFERENCE_WORKER_PATH;
  if (configured) candidates.push(path.resolve(configured));
  try {
    candidates.push(fileURLToPath(new URL("./inference-worker.ts", import.meta.url)));
  } catch {
    // import.meta.url is not a file: URL inside some bundles
  }
  candidates.push(path.resolve(process.cwd(), "lib/inference/inference-worker.ts"));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`inference worker not found; looked at ${candidates.join(", ")}`);
  return found;
}

/** tsx's require-hook API, resolved from the project (cwd) first: bundles rewrite import.meta. */
function tsxRequireHook(): string {
  try {
    return createRequire(path.join(process.cwd(), "package.json")).resolve("tsx/cjs/api");
  } catch {
    return createRequire(import.meta.url).resolve("tsx/cjs/api");
  }
}

function workerSource(entry: string): string {
  if (!entry.endsWith(".ts")) return `import(${JSON.stringify(pathToFileURL(entry).href)});`;
  return `require(${JSON.stringify(tsxRequireHook())}).register();\nrequire(${JSON.stringify(entry)});`;
}

function rebuildError(e: WorkerError): Error {
  if (e.name === "NotFoundError") return new NotFoundError(e.message);
  if (e.name === "ValidationError") return new ValidationError(e.message, e.fields);
  if (e.status) return new AppError(e.message, e.status, "inference");
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(workerSource(workerEntryPath()), { eval: true });
  w.on("message", (msg: WorkerResponse) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (pending.size === 0) w.unref();
    if (msg.ok) p.resolve(msg.result);
    else p.reject(rebuildError(msg.error));
  });
  w.on("error", (err) => failAll(err));
  w.on("exit", (code) => {
    if (worker === w) failAll(new Error(`inference worker exited with code ${code}`));
  });
  worker = w;
  return w;
}

/**
 * Paraphrases a batch in the inference worker: per input, numReturnSequences outputs.
 * Invalid options are rejected here, before anything reaches the worker.
 */
export async function paraphrase(input: ParaphraseRequestInput): Promise<ParaphraseResult> {
  // Validated here; sent as given, so that the worker can tell the options the caller set from
  // those it left to the model's generation_config.json
  const request = { ...ParaphraseRequestSchema.parse(input), options: input.options };
  const w = getWorker();
  const id = nextId++;
  return new Promise<ParaphraseResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref(); // keep the process alive while a request is out
    w.postMessage({ id, request } satisfies WorkerRequest);
  });
}

/** Stops the worker (tests, graceful shutdown); requests still out are rejected. */
export async function closeParaphrasePool(): Promise<void> {
  const w = worker;
  if (!w) return;
  failAll(new Error("paraphrase pool closed"));
  await w.terminate();
}
