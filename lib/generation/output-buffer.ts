/**
 * Outputs of finished teacher calls, written many items to one statement instead of one per item.
 * A batch goes to the database when it holds `maxItems` items or its oldest item has waited
 * `maxDelayMs`, and whatever is left when the chunk ends (before it reports its items done).
 *
 * What a crash costs: the outputs still buffered (the calls finished in the last `maxDelayMs`, at
 * most `maxItems` items) are lost and those items are asked again when the chunk is run again;
 * nothing is ever stored twice (the writes skip duplicates). A write that fails fails the chunk at
 * `close()`, which is handed back and resumed the same way.
 */
export class OutputBuffer<Row> {
  private rows: Row[] = [];
  private items = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private failed: unknown = null;

  constructor(
    private readonly write: (rows: Row[]) => Promise<void>,
    private readonly o: { maxItems: number; maxDelayMs: number },
  ) {}

  /** One item's rows (it counts as one item towards maxItems). */
  add(rows: Row[]): void {
    this.rows.push(...rows);
    this.items++;
    if (this.items >= this.o.maxItems) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.o.maxDelayMs);
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.items === 0) return;
    const batch = this.rows;
    this.rows = [];
    this.items = 0;
    // One write at a time, in order; a failure is kept for close() (no unhandled rejection).
    this.writing = this.writing.then(() =>
      this.write(batch).catch((err: unknown) => {
        this.failed ??= err;
      }),
    );
  }

  /** Writes what is left and waits for every write; throws the first write's error, if any. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    if (this.failed) throw this.failed;
  }
}
