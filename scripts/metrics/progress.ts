/**
 * Progress on standard error for files long enough to wait on: a redrawn bar on a terminal, a
 * line every 10% otherwise (so a log stays readable). Silent below 200 rows.
 */
export function progressReporter(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastDecile = 0;
  return (done: number) => {
    if (total < 200) return;
    const fraction = done / total;
    const elapsed = (Date.now() - started) / 1000;
    const rate = done / Math.max(elapsed, 1e-3);
    const text = `${done}/${total} rows (${(100 * fraction).toFixed(0)}%, ${rate.toFixed(0)} rows/s)`;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(width * fraction);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}${done >= total ? "\n" : ""}`);
    } else if (Math.floor(fraction * 10) > lastDecile || done >= total) {
      lastDecile = Math.floor(fraction * 10);
      stream.write(`metrics: ${text}\n`);
    }
  };
}
