export {
  parseEvalSetUpload,
  parseEvalSetFile,
  parseEvalSetStream,
  createPageCollector,
  type EvalSetSummary,
  type ParseEvalSetUploadArgs,
  type UploadBody,
} from "./parse-eval-set-upload";
export { uploadedFileProblem } from "./describe-problem";
export {
  selectImportableRows,
  judgeProblems,
  everyRowBad,
  type ImportableInput,
  type ImportVerdict,
} from "./select-importable-rows";
export {
  MAX_EVAL_SET_FILE_BYTES,
  MAX_EVAL_SET_ROWS,
  MAX_SENTENCE_CHARS,
  PREVIEW_ROW_COUNT,
  fileTooLargeMessage,
  formatBytes,
  type EvalSetLimits,
} from "./limits";
export {
  SOURCE_COLUMN_ALIASES,
  ID_COLUMN_ALIASES,
  REFERENCE_COLUMN_PATTERN_DOC,
  OUTPUT_COLUMN_PATTERN_DOC,
} from "./columns";
export * from "./schemas";
