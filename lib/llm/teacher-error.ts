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

const MASK = "***";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The forms in which an echoing server may return the key: as is, base64, base64url, hex. */
function keyForms(apiKey: string): string[] {
  const bytes = Buffer.from(apiKey, "utf8");
  const b64 = bytes.toString("base64");
  return [apiKey, b64, b64.replace(/=+$/, ""), bytes.toString("base64url"), bytes.toString("hex")];
}

// Shapes of credentials whatever their value: bearer and basic tokens, key=value pairs,
// user:password@ in URLs, provider key prefixes, and long unbroken runs of key-like characters.
const CREDENTIAL_SHAPES: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${MASK}`],
  [
    /\b((?:api[-_ ]?key|access[-_ ]?token|token|secret|password|passwd|authorization|x-api-key)["']?\s*[:=]\s*["']?)(?!\*\*\*|Bearer\b|Basic\b)[^\s"',;&]+/gi,
    `$1${MASK}`,
  ],
  [/(\/\/)[^\s/@:]+:[^\s/@]+@/g, `$1${MASK}@`],
  [/\b(sk|pk|rk|ghp|gho|xox[abp]|AKIA)[-_]?[A-Za-z0-9_-]{8,}/g, MASK],
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A long unbroken run of letters and digits (and base64's +/=_-), not an id we print ourselves. */
function maskKeyLikeRuns(text: string): string {
  return text.replace(/[A-Za-z0-9+/_=-]{32,}/g, (run) =>
    UUID.test(run) || !/[0-9]/.test(run) || !/[A-Za-z]/.test(run) ? run : MASK,
  );
}

/**
 * Removes the API key and anything that looks like a credential from text that may reach a log
 * or a page: the key itself, its base64 and hex forms, the key spelled out with spaces or other
 * separators between its characters, and credential-shaped strings whoever's they are (a server
 * may echo another secret back, or its own).
 */
export function redactSecrets(text: string, apiKey: string): string {
  let out = text;
  // Very short keys are not redacted literally: replacing "a" everywhere would garble the message.
  if (apiKey.length >= 4) {
    for (const form of keyForms(apiKey)) if (form.length >= 4) out = out.split(form).join(MASK);
    // The key with anything but letters and digits between its characters ("s k - 1 2 3").
    const chars = [...apiKey].filter((c) => /[A-Za-z0-9]/.test(c)).map(escapeRegExp);
    if (chars.length >= 8) out = out.replace(new RegExp(chars.join("[^A-Za-z0-9]{0,3}"), "g"), MASK);
  }
  for (const [shape, replacement] of CREDENTIAL_SHAPES) out = out.replace(shape, replacement);
  return maskKeyLikeRuns(out);
}

/**
 * Why a base URL must not be stored, or null: credentials in it would be shown on /systems and
 * in every error message. The key belongs in an environment variable.
 */
export function baseUrlCredentialProblem(baseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return null; // the URL check itself reports this
  }
  if (url.username || url.password)
    return "Remove the user name and password from the base URL; put the key in an environment variable (LLM_KEY_…)";
  for (const name of url.searchParams.keys())
    if (/key|token|secret|pass|auth|sig|credential/i.test(name))
      return `Remove "${name}" from the base URL's query; put the key in an environment variable (LLM_KEY_…)`;
  return null;
}

/** A base URL for display: user:password and credential-looking query values replaced by ***. */
export function maskBaseUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    if (url.username) url.username = MASK;
    if (url.password) url.password = MASK;
    for (const name of [...url.searchParams.keys()])
      if (/key|token|secret|pass|auth|sig|credential/i.test(name)) url.searchParams.set(name, MASK);
    return url.toString().replace(/%2A%2A%2A/g, MASK);
  } catch {
    return "the configured base URL";
  }
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
