/**
 * One interface for every sentence encoder. `model` names the model and its version so that
 * stored vectors are never mixed across models; `embed` takes a batch and returns one vector per
 * text, in order.
 */
export interface EmbeddingProvider {
  /** Stable key of the model (stored beside each vector), e.g. "use-lite@energetic-ai-0.2.0". */
  readonly model: string;
  /** Human-readable description for pages and logs. */
  readonly label: string;
  /** Largest batch the provider is sent at once. */
  readonly batchSize: number;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
