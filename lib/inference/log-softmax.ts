import * as ort from "onnxruntime-node";
import { field, tensorInfo, intField, text } from "./onnx-proto";
import { sessionOptions } from "./session-cache";

/**
 * log_softmax over the vocabulary for every decoder row, run by onnxruntime's vectorised kernel,
 * for the steps whose decoder cannot give log-probabilities itself (decoder-graph.ts).
 * In JavaScript this pass (one exp per vocabulary entry per row per step) cost as much as a
 * third of a T5-small-sized decode; onnxruntime does it several times faster, in float32 like
 * torch. The one-node graph is encoded here rather than shipped as a file.
 */

/** ModelProto bytes: y = LogSoftmax(x) over the last axis (opset 14's default). */
export function logSoftmaxModel(): Uint8Array {
  const node = [...field(1, text("x")), ...field(2, text("y")), ...field(4, text("LogSoftmax"))];
  const graph = [
    ...field(1, node),
    ...field(2, text("log_softmax")),
    ...field(11, tensorInfo("x", ["rows", "vocab"])),
    ...field(12, tensorInfo("y", ["rows", "vocab"])),
  ];
  const opset = [...field(1, []), ...intField(2, 14)];
  return Uint8Array.from([...intField(1, 7), ...field(7, graph), ...field(8, opset)]);
}

let session: Promise<ort.InferenceSession> | null = null;

/**
 * log_softmax of (rows x vocab) logits, written into `into` when given (reused across steps, so
 * a decode makes no garbage), else into a new buffer. The caller may modify the result.
 */
export async function logSoftmaxRows(
  logits: Float32Array,
  rows: number,
  vocab: number,
  into?: Float32Array,
): Promise<Float32Array> {
  // One thread and no spinning: a second session's pool thread spin-waiting after each call took
  // the decoder's second core away (beam 4 at T5-small size ran 3.1 s instead of 2.3 s)
  session ??= ort.InferenceSession.create(logSoftmaxModel(), {
    ...sessionOptions(),
    intraOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  });
  const s = await session;
  const y = into && into.length === rows * vocab ? into : new Float32Array(rows * vocab);
  await s.run(
    { x: new ort.Tensor("float32", logits, [rows, vocab]) },
    { y: new ort.Tensor("float32", y, [rows, vocab]) },
  );
  return y;
}
