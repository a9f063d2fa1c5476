/**
 * CSV for spreadsheets. A cell a spreadsheet would read as a formula (starting with =, +, -, @,
 * tab or carriage return) gets a leading single quote, so an annotator's or a model's text can
 * never run as a formula on a researcher's machine (CSV injection, OWASP).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV cell: strings neutralised and quoted when needed; numbers and booleans as they are. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
