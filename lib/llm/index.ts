export {
  paraphraseWithTeacher,
  completeChat,
  type ChatConfig,
  type ChatReply,
  type ParaphraseWithTeacherArgs,
  type TeacherDeps,
} from "./teacher-client";
export {
  TeacherError,
  baseUrlCredentialProblem,
  maskBaseUrl,
  redactSecrets,
  type TeacherErrorKind,
} from "./teacher-error";
export {
  DEFAULT_PARAPHRASE_PROMPT_TEMPLATE,
  DEFAULT_TEACHER_TEMPERATURE,
  DEFAULT_PARAPHRASE_COUNT,
  MAX_PARAPHRASE_COUNT,
  renderPrompt,
  validatePromptTemplate,
} from "./prompt";
export { parseParaphraseList, NoListFoundError, type ListFormat, type ParsedParaphraseList } from "./parse-list";
export { createLimiter, createKeyedLimiter, type Limiter } from "./concurrency";
export { backoffDelayMs, retryAfterMs, MAX_RETRY_AFTER_MS } from "./retry-policy";
export * from "./schemas";
export { llmCallLimits } from "./call-limits";
export { chatConfigFor, hasApiKey, type LlmEndpoint } from "./chat-config";
