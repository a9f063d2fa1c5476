/**
 * Any OpenAI-compatible `POST {baseUrl}/embeddings` endpoint, with the retry policy of the
 * teacher and judge (backoff with jitter, Retry-After honoured, 5xx and time-outs retried) and the
 * same redaction: no message built here can carry the API key.
 */
import { backoffDelayMs, MAX_RETRY_AFTER_MS, redactSecrets, retryAfterMs } from "@/lib/llm";
import type { EmbeddingProvider } from "./provider";

export interface OpenAiEmbeddingsConfig {
  baseUrl: string;
  model: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  batchSize?: number;
  /** Injected so tests can assert delays without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export class EmbeddingsError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "EmbeddingsError";
  }
}

export function openAiEmbeddings(config: OpenAiEmbeddingsConfig): EmbeddingProvider {
  const url = `${config.baseUrl.replace(/\/$/, "")}/embeddings`;
  const host = safeHost(config.baseUrl);
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const fail = (message: string, status: number | null = null) =>
    new EmbeddingsError(redactSecrets(message, config.apiKey), status);

  async function once(texts: readonly string[], signal?: AbortSignal) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
    const timeout = AbortSignal.timeout(config.timeoutMs);
    return fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: config.model, input: texts, encoding_format: "float" }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  }

  return {
    model: `openai:${config.model}@${host}`,
    label: `${config.model} at ${host} (OpenAI-compatible /embeddings)`,
    batchSize: config.batchSize ?? 64,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      for (let attempt = 1; ; attempt++) {
        let retryable = false;
        let waitMs: number | null = null;
        let error: EmbeddingsError;
        try {
          const res = await once(texts, signal);
          if (res.ok) return parseReply(await res.text(), texts.length, fail);
          const body = (await res.text()).slice(0, 300);
          error = fail(`The embeddings endpoint ${host} answered HTTP ${res.status}: ${body}`, res.status);
          retryable = res.status === 429 || res.status >= 500 || res.status === 408;
          waitMs = res.status === 429 ? retryAfterMs(res.headers) : null;
          if (waitMs !== null && waitMs > MAX_RETRY_AFTER_MS) retryable = false;
        } catch (err) {
          if (err instanceof EmbeddingsError) throw err;
          if (signal?.aborted) throw fail("Embedding was cancelled");
          const why = err instanceof Error ? err.message : String(err);
          error = fail(`Could not reach the embeddings endpoint ${host}: ${why}`);
          retryable = true;
        }
        if (!retryable || attempt > config.maxRetries) {
          throw fail(`${error.message} (after ${attempt} attempt${attempt === 1 ? "" : "s"})`, error.status);
        }
        await sleep(waitMs ?? backoffDelayMs(attempt));
      }
    },
  };
}

function parseReply(text: string, expected: number, fail: (message: string) => EmbeddingsError): Float32Array[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail(`The embeddings endpoint did not answer JSON: ${text.slice(0, 120)}`);
  }
  const data = (json as { data?: unknown })?.data;
  if (!Array.isArray(data) || data.length !== expected)
    throw fail(
      `The embeddings endpoint answered ${Array.isArray(data) ? data.length : "no"} vectors for ${expected} texts`,
    );
  const out = new Array<Float32Array>(expected);
  data.forEach((row: { index?: unknown; embedding?: unknown }, i) => {
    const index = typeof row?.index === "number" ? row.index : i;
    if (
      !Array.isArray(row?.embedding) ||
      !row.embedding.every((v) => typeof v === "number") ||
      index < 0 ||
      index >= expected
    )
      throw fail(
        `The embeddings endpoint answered a malformed vector at position ${i} (expected data[].embedding: number[])`,
      );
    out[index] = Float32Array.from(row.embedding as number[]);
  });
  return out;
}

function safeHost(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.host}${u.pathname.replace(/\/$/, "")}`;
  } catch {
    return "the configured base URL";
  }
}
