import { ValidationError } from "@/lib/errors";
import { fileTooLargeMessage, MAX_EVAL_SET_FILE_BYTES, uploadedFileProblem } from "@/lib/eval-sets";

/**
 * The upload of an eval set form (a new set or outputs for one): the file as a Blob, which the use
 * case reads as a stream, and the page of rows asked for. Called without form data (a hand-made
 * request): a 422 that says what to send, not a crash.
 */
export function uploadFrom(form: FormData): { filename: string; file: Blob; rowOffset: number } {
  const file = form instanceof FormData ? form.get("file") : null;
  const problem = uploadedFileProblem(file instanceof File ? file : null);
  if (problem || !(file instanceof File))
    throw new ValidationError(problem ?? "Choose a file", { file: problem ?? "Choose a file" });
  // Refused before the file is read; the parser says the same for a smaller limit.
  if (file.size > MAX_EVAL_SET_FILE_BYTES)
    throw new ValidationError(fileTooLargeMessage(file.size, MAX_EVAL_SET_FILE_BYTES));
  const rowOffset = Number(form.get("rowOffset") ?? 0);
  return { filename: file.name, file, rowOffset: Number.isInteger(rowOffset) && rowOffset >= 0 ? rowOffset : 0 };
}

/** The import choices both forms share: drop bad rows, and which output columns are the teacher's. */
export function importChoicesFrom(form: FormData) {
  return {
    dropBadRows: form.get("dropBadRows") === "on",
    teacherSystems: form.getAll("teacherSystems").map(String),
  };
}
