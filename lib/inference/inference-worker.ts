import { parentPort } from "node:worker_threads";
import { runParaphrase } from "./run-paraphrase";
import type { ParaphraseRequestInput, ParaphraseResult } from "./schemas";

/**
 * Worker-thread entry: runs paraphrase requests one after the other (onnxruntime already uses
 * every core for one request, so running two at once only makes both slower).
 */
export type WorkerRequest = { id: number; request: ParaphraseRequestInput };
export type WorkerError = { name: string; message: string; status?: number; fields?: Record<string, string> };
export type WorkerResponse =
  { id: number; ok: true; result: ParaphraseResult } | { id: number; ok: false; error: WorkerError };

function toWorkerError(e: unknown): WorkerError {
  if (e instanceof Error) {
    const extra = e as Error & { status?: number; fields?: Record<string, string> };
    return { name: e.name, message: e.message, status: extra.status, fields: extra.fields };
  }
  return { name: "Error", message: String(e) };
}

const port = parentPort;
if (port) {
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (msg: WorkerRequest) => {
    queue = queue.then(async () => {
      let response: WorkerResponse;
      try {
        response = { id: msg.id, ok: true, result: await runParaphrase(msg.request) };
      } catch (e) {
        response = { id: msg.id, ok: false, error: toWorkerError(e) };
      }
      port.postMessage(response);
    });
  });
}
