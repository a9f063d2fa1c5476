export type TeacherErrorKind =
  "rate_limited" | "server_error" | "timeout" | "connection" | "http" | "bad_response" | "no_list" | "aborted";

/**
 * Why a teacher call failed, in words a user can act on. Messages are redacted of the API key
 * and bearer tokens before they are built, so they are safe to store on a job and show.
 */
export class TeacherError extends Error {
  readonly kind: TeacherErrorKind;
  readonly status: number | null;
  readonly attempts: number;
  /** The endpoint's x-request-id, for reports to the provider. */
  readonly requestId: string | null;
  /** The reply text, for no_list failures. */
  readonly rawReply: string | null;

  constructor(args: {
    kind: TeacherErrorKind;
    message: string;
    attempts: number;
    status?: number | null;
    requestId?: string | null;
    rawReply?: string | null;
  }) {
    super(args.message);
    this.name = "TeacherError";
    this.kind = args.kind;
    this.status = args.status ?? null;
    this.attempts = args.attempts;
    this.requestId = args.requestId ?? null;
    this.rawReply = args.rawReply ?? null;
  }

  /** Whether trying the same item again later might succeed. */
  get isTransient(): boolean {
    return (
      this.kind === "rate_limited" ||
      this.kind === "server_error" ||
      this.kind === "timeout" ||
      this.kind === "connection"
    );
  }
}

/** Removes the API key (and any bearer token) from text that may reach a log or a page. */
export function redactSecrets(text: string, apiKey: string): string {
  let out = text.replace(/Bearer\s+[^\s"',;]+/gi, "Bearer ***");
  // Very short keys are not redacted: replacing "a" everywhere would garble the message.
  if (apiKey.length >= 4) out = out.split(apiKey).join("***");
  return out;
}

/** The base URL without user:password, query or fragment, for messages. */
export function describeEndpoint(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, "")}`;
  } catch {
    return "the configured base URL";
  }
}
