export { listEvalSets, type EvalSetSummary } from "./list-eval-sets";
export { getEvalSet, type EvalSetDetail } from "./get-eval-set";
export { importEvalSet, previewEvalSetUpload } from "./import-eval-set";
export { getImportProgress, type ImportProgress } from "./import-progress";
export { addOutputs, previewAddOutputs, type AddOutputsResult } from "./add-outputs";
export { IMPORTED_SETTINGS_KEY, type ImportEvalSetResult } from "./schemas";
export {
  MAX_EVAL_SET_FILE_BYTES,
  MAX_EVAL_SET_ROWS,
  MAX_SENTENCE_CHARS,
  fileTooLargeMessage,
  formatBytes,
  uploadedFileProblem,
} from "./parse";
