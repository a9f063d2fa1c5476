import os from "node:os";
import * as ort from "onnxruntime-node";
import { env } from "../env";

/**
 * One InferenceSession per ONNX file, created on first use and kept for the life of the process
 * (in the app, the inference worker). Sessions are safe to run concurrently, and creating one
 * costs far more than a decode step, so they are never rebuilt.
 */
const sessions = new Map<string, Promise<ort.InferenceSession>>();

/** Intra-op threads: INFERENCE_THREADS, or every core (decoder steps are one matmul chain). */
export function intraOpThreads(): number {
  const fromEnv = env().INFERENCE_THREADS;
  if (fromEnv) return fromEnv;
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/**
 * Session settings. INFERENCE_SPIN=0 stops idle intra-op threads from spin-waiting between
 * kernels: a little slower on an idle machine, kinder to the web server and to other processes
 * on a busy one. The default keeps onnxruntime's own (spinning).
 */
export function sessionOptions(): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    intraOpNumThreads: intraOpThreads(),
    interOpNumThreads: 1,
    executionMode: "sequential",
    extra: { session: { intra_op: { allow_spinning: env().INFERENCE_SPIN } } },
  };
}

/** The session of an ONNX file; `bytes`, when given, is that file's model as rewritten in memory. */
export function getSession(file: string, bytes?: Uint8Array): Promise<ort.InferenceSession> {
  let session = sessions.get(file);
  if (!session) {
    session = bytes
      ? ort.InferenceSession.create(bytes, sessionOptions())
      : ort.InferenceSession.create(file, sessionOptions());
    // A failed load is not cached, so a fixed file can be retried without a restart
    session.catch(() => sessions.delete(file));
    sessions.set(file, session);
  }
  return session;
}

export function cachedSessionCount(): number {
  return sessions.size;
}

/** Releases every session (tests, worker shutdown). */
export async function releaseSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(
    all.map(async (pending) => {
      const session = await pending.catch(() => null);
      await session?.release();
    }),
  );
}
