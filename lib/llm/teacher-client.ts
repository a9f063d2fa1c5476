import type { ChatCompletion } from "openai/resources/chat/completions";
import { ChatAbortError, ChatConnectionError, ChatHttpError, ChatTimeoutError, postChatCompletion } from "./chat-http";
import { renderPrompt } from "./prompt";
import { NoListFoundError, parseParaphraseList } from "./parse-list";
import { backoffDelayMs, defaultSleep, MAX_RETRY_AFTER_MS, retryAfterMs } from "./retry-policy";
import { describeEndpoint, redactSecrets, TeacherError } from "./teacher-error";
import type { TeacherConfig, TeacherResult } from "./schemas";

export interface TeacherDeps {
  /** Injected so tests can assert delays without waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface ParaphraseWithTeacherArgs {
  config: TeacherConfig;
  sentence: string;
  signal?: AbortSignal;
  deps?: TeacherDeps;
}

type Failure = { error: TeacherError; retryable: boolean; waitMs?: number };

/** Asks the teacher LLM for n paraphrases of one sentence, retrying transient failures. */
export async function paraphraseWithTeacher({
  config,
  sentence,
  signal,
  deps = {},
}: ParaphraseWithTeacherArgs): Promise<TeacherResult> {
  const prompt = renderPrompt(config.promptTemplate, { n: config.n, sentence });
  const reply = await completeChat({ config, prompt, signal, deps });
  return finish({ config, sentence, ...reply });
}

export type ChatConfig = Pick<
  TeacherConfig,
  "baseUrl" | "apiKey" | "model" | "temperature" | "timeoutMs" | "maxRetries"
>;
export interface ChatReply {
  content: string;
  completion: ChatCompletion;
  /** Duration of the request that succeeded. */
  latencyMs: number;
  elapsedMs: number;
  attempts: number;
}

/**
 * One user message to an OpenAI-compatible chat endpoint, with the retry policy every LLM call
 * here shares (the teacher, the judge): backoff on 429 honouring Retry-After, 5xx, time-outs.
 */
export async function completeChat({
  config,
  prompt,
  signal,
  deps = {},
}: {
  config: ChatConfig;
  prompt: string;
  signal?: AbortSignal;
  deps?: TeacherDeps;
}): Promise<ChatReply> {
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const started = now();
  const maxAttempts = 1 + Math.max(0, config.maxRetries);

  for (let attempt = 1; ; attempt++) {
    const attemptStarted = now();
    let failure: Failure;
    try {
      const completion = await postChatCompletion({
        baseUrl: config.baseUrl,
        apiKey: config.apiKey,
        body: { model: config.model, temperature: config.temperature, messages: [{ role: "user", content: prompt }] },
        timeoutMs: config.timeoutMs,
        signal,
      });
      const latencyMs = now() - attemptStarted;
      const content = completion?.choices?.[0]?.message?.content;
      if (typeof content !== "string") {
        failure = { retryable: false, error: badResponse(config, attempt, "it has no choices[0].message.content") };
      } else {
        return { content, completion, latencyMs, elapsedMs: now() - started, attempts: attempt };
      }
    } catch (err) {
      if (err instanceof TeacherError) throw err;
      failure = classify(err, { config, attempt, maxAttempts, now: now() });
    }
    if (!failure.retryable || attempt >= maxAttempts) throw failure.error;
    try {
      await sleep(failure.waitMs ?? backoffDelayMs(attempt, deps.random), signal);
    } catch {
      throw aborted(attempt);
    }
  }
}

function finish(args: { config: TeacherConfig; sentence: string } & ChatReply): TeacherResult {
  const { config, sentence, content, completion, attempts } = args;
  let parsed;
  try {
    parsed = parseParaphraseList(content, { source: sentence, expectedCount: config.n });
  } catch (err) {
    if (!(err instanceof NoListFoundError)) throw err;
    throw new TeacherError({
      kind: "no_list",
      attempts,
      rawReply: content,
      message: redactSecrets(
        `${err.message} The model "${config.model}" may have refused or ignored the format.`,
        config.apiKey,
      ),
    });
  }
  return {
    paraphrases: parsed.paraphrases,
    rawReply: content,
    listFormat: parsed.format,
    dropped: parsed.dropped,
    promptTokens: completion.usage?.prompt_tokens ?? null,
    completionTokens: completion.usage?.completion_tokens ?? null,
    finishReason: completion.choices[0]?.finish_reason ?? null,
    latencyMs: args.latencyMs,
    elapsedMs: args.elapsedMs,
    attempts,
  };
}

function classify(
  err: unknown,
  ctx: { config: ChatConfig; attempt: number; maxAttempts: number; now: number },
): Failure {
  const { config, attempt } = ctx;
  const endpoint = describeEndpoint(config.baseUrl);
  const make = (
    kind: TeacherError["kind"],
    message: string,
    extra: { status?: number; requestId?: string | null } = {},
  ) => new TeacherError({ kind, attempts: attempt, message: redactSecrets(message, config.apiKey), ...extra });
  const tries = `${attempt} attempt${attempt === 1 ? "" : "s"}`;

  if (err instanceof ChatAbortError) return { retryable: false, error: aborted(attempt) };
  if (err instanceof ChatTimeoutError) {
    return {
      retryable: true,
      error: make(
        "timeout",
        `The teacher endpoint ${endpoint} did not answer within ${config.timeoutMs / 1000} s (${tries}). Raise the time-out or check the server's load.`,
      ),
    };
  }
  if (err instanceof ChatConnectionError) {
    const cause = `: ${err.message}`; // the socket error's own message (e.g. connect ECONNREFUSED 127.0.0.1:1)
    return {
      retryable: true,
      error: make(
        "connection",
        `Could not reach the teacher endpoint ${endpoint} (${tries})${cause}. Check the base URL and that the server is running.`,
      ),
    };
  }
  if (err instanceof ChatHttpError) {
    const status = err.status;
    const serverMessage = serverMessageOf(err);
    const extra = { status, requestId: err.requestId };
    if (status === 429) {
      const waitMs = retryAfterMs(err.headers, ctx.now) ?? undefined;
      if (waitMs !== undefined && waitMs > MAX_RETRY_AFTER_MS) {
        return {
          retryable: false,
          error: make(
            "rate_limited",
            `The teacher endpoint is rate limiting (HTTP 429) and asks to wait ${Math.ceil(waitMs / 1000)} s${serverMessage}. Lower this system's concurrency or try again later.`,
            extra,
          ),
        };
      }
      return {
        retryable: true,
        waitMs,
        error: make(
          "rate_limited",
          `The teacher endpoint kept rate limiting (HTTP 429) after ${tries}${serverMessage}. Lower this system's concurrency or try again later.`,
          extra,
        ),
      };
    }
    if (status >= 500) {
      return {
        retryable: true,
        error: make(
          "server_error",
          `The teacher endpoint failed with HTTP ${status} after ${tries}${serverMessage}.`,
          extra,
        ),
      };
    }
    if (status === 408) {
      return {
        retryable: true,
        error: make(
          "timeout",
          `The teacher endpoint timed out the request (HTTP 408) after ${tries}${serverMessage}.`,
          extra,
        ),
      };
    }
    return {
      retryable: false,
      error: make(
        "http",
        `The teacher endpoint refused the request with HTTP ${status}${serverMessage}. ${hintFor(status)}`,
        extra,
      ),
    };
  }
  if (err instanceof SyntaxError) {
    // A truncated body is usually a proxy or server hiccup, so it is worth another try.
    return { retryable: true, error: badResponse(config, attempt, "its body is not valid JSON") };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return {
    retryable: false,
    error: make("bad_response", `Calling the teacher endpoint ${endpoint} failed: ${detail}`),
  };
}

function serverMessageOf(err: ChatHttpError): string {
  const body = err.error as { message?: unknown } | undefined;
  const message = typeof body?.message === "string" ? body.message : null;
  // Only the server's short error message, cut to a line: its body is not for researchers' eyes.
  const short = message && message.length > 200 ? `${message.slice(0, 200)}…` : message;
  return short ? `: "${short}"` : "";
}

function hintFor(status: number): string {
  if (status === 401) return "Check the API key for this system.";
  if (status === 403) return "The API key is not allowed to use this model.";
  if (status === 404) return "Check the base URL (it should end in /v1) and the model name.";
  return "Check the model name and settings for this system.";
}

function badResponse(config: ChatConfig, attempts: number, why: string): TeacherError {
  return new TeacherError({
    kind: "bad_response",
    attempts,
    message: redactSecrets(
      `The teacher endpoint ${describeEndpoint(config.baseUrl)} returned a reply that is not a chat completion (${why}). Check that the base URL points to an OpenAI-compatible /v1 endpoint.`,
      config.apiKey,
    ),
  });
}

function aborted(attempts: number): TeacherError {
  return new TeacherError({ kind: "aborted", attempts, message: "The teacher request was cancelled." });
}
