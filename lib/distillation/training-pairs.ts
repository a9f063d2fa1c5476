import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { embeddingProvider, requestEmbeddings } from "@/lib/embeddings";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { normalizedEditDistance, sentenceBleu, tokenizeWords } from "@/lib/text-metrics";
import {
  countUnscoredOutputs,
  findEvalSetForExport,
  findSystemForExport,
  outputSettings,
  outputsPage,
  teacherTokens,
} from "./queries";
import { TrainingPairsInput, type TrainingPairsManifest } from "./schemas";

const PAGE = 5000;
const TRAINING_PAIRS_FORMAT =
  'JSON Lines, one {"id", "source", "target"} object per line: the source sentence and one teacher paraphrase. ' +
  "Hugging Face run_summarization.py / Seq2SeqTrainer scripts read it with --train_file pairs.jsonl --text_column source --summary_column target.";

type Verdict = "kept" | "nearCopies" | "tooSimilarBleu" | "lowSemanticSimilarity" | "duplicates" | "empty";

async function load(actor: Actor | null, raw: TrainingPairsInput) {
  requirePermission(actor, "distillation:export");
  const input = TrainingPairsInput.parse(raw);
  const [set, system] = await Promise.all([findEvalSetForExport(input.evalSetId), findSystemForExport(input.systemId)]);
  if (!set) throw new NotFoundError("No such eval set");
  if (!system) throw new NotFoundError("No such system");
  if (system.role !== "TEACHER")
    throw new ValidationError(`"${system.name}" is not a teacher: distillation data are the teacher's outputs`);
  let embeddingModel: { key: string; label: string } | null = null;
  if (input.minSemanticSimilarity !== undefined) {
    let provider;
    try {
      provider = embeddingProvider();
    } catch (err) {
      throw new ValidationError(`Semantic-similarity filtering is unavailable: ${(err as Error).message}`);
    }
    // Similarities come from the embedding job; a threshold on missing ones would silently keep or drop pairs.
    const missing = await countUnscoredOutputs({ ...input, model: provider.model });
    if (missing > 0) {
      await requestEmbeddings({ evalSetId: set.id, model: provider.model, missing, createdById: actor?.id });
      throw new ValidationError(
        `Semantic similarity is not computed yet for ${missing} of these outputs. A background job is now computing it with ${provider.label}; try again when it has finished, or leave the threshold empty.`,
      );
    }
    embeddingModel = { key: provider.model, label: provider.label };
  }
  return { input, set, system, embeddingModel };
}

/** Pages through the outputs in a stable order and judges each pair against the filters. */
async function* judged(input: ReturnType<typeof TrainingPairsInput.parse>, model: string | null) {
  let cursor: { position: number; rank: number } = { position: -1, rank: -1 };
  // Kept across pages: one item's outputs can straddle a page boundary.
  let seen = new Set<string>();
  let seenFor = -1;
  for (;;) {
    const rows = await outputsPage({
      evalSetId: input.evalSetId,
      systemId: input.systemId,
      settingsKey: input.settingsKey,
      after: cursor,
      limit: PAGE,
      model: model ?? "",
    });
    if (rows.length === 0) return;
    for (const r of rows) {
      if (r.position !== seenFor) {
        seen = new Set();
        seenFor = r.position;
      }
      const target = r.text.trim();
      const key = target.toLowerCase().replace(/\s+/g, " ");
      let verdict: Verdict = "kept";
      if (!target) verdict = "empty";
      else if (seen.has(key)) verdict = "duplicates";
      else {
        const src = tokenizeWords(r.source);
        const out = tokenizeWords(target);
        if (normalizedEditDistance(src, out) < input.minWordEditDistance) verdict = "nearCopies";
        else if (input.maxBleuVsSource !== undefined && sentenceBleu(out, [src]) > input.maxBleuVsSource)
          verdict = "tooSimilarBleu";
        else if (
          input.minSemanticSimilarity !== undefined &&
          (r.similarity === null || r.similarity < input.minSemanticSimilarity)
        )
          verdict = "lowSemanticSimilarity";
      }
      seen.add(key);
      yield { verdict, line: { id: `${r.externalId}-${r.rank}`, source: r.source, target }, position: r.position };
    }
    const last = rows[rows.length - 1];
    cursor = { position: last.position, rank: last.rank };
  }
}

/** The kept training pairs as JSONL text chunks, streamed page by page. */
export async function trainingPairsJsonl(
  actor: Actor | null,
  raw: TrainingPairsInput,
): Promise<AsyncGenerator<string>> {
  const { input: parsed, embeddingModel } = await load(actor, raw);
  return (async function* () {
    let chunk = "";
    for await (const p of judged(parsed, embeddingModel?.key ?? null)) {
      if (p.verdict !== "kept") continue;
      chunk += JSON.stringify(p.line) + "\n";
      if (chunk.length > 64_000) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  })();
}

/** What the export holds and why: the filters applied and how many pairs each removed. */
export async function trainingPairsManifest(
  actor: Actor | null,
  raw: TrainingPairsInput,
): Promise<TrainingPairsManifest> {
  const { input: parsed, set, system, embeddingModel } = await load(actor, raw);
  const counts = {
    items: set._count.items,
    itemsWithOutputs: 0,
    outputs: 0,
    kept: 0,
    dropped: { nearCopies: 0, tooSimilarBleu: 0, lowSemanticSimilarity: 0, duplicates: 0, empty: 0 },
  };
  let lastPosition = -1;
  for await (const p of judged(parsed, embeddingModel?.key ?? null)) {
    counts.outputs++;
    if (p.position !== lastPosition) counts.itemsWithOutputs++;
    lastPosition = p.position;
    if (p.verdict === "kept") counts.kept++;
    else counts.dropped[p.verdict]++;
  }
  const scope = { evalSetId: set.id, systemId: system.id, settingsKey: parsed.settingsKey };
  const [settings, tokens] = await Promise.all([outputSettings(scope), teacherTokens(scope)]);
  return {
    format: TRAINING_PAIRS_FORMAT,
    evalSet: { id: set.id, name: set.name },
    teacher: { id: system.id, name: system.name, settingsKey: parsed.settingsKey, settings },
    filters: {
      minWordEditDistance: parsed.minWordEditDistance,
      maxBleuVsSource: parsed.maxBleuVsSource ?? null,
      minSemanticSimilarity: parsed.minSemanticSimilarity ?? null,
      semanticSimilarityModel: embeddingModel?.label ?? null,
    },
    counts,
    tokens,
    generatedAt: new Date().toISOString(),
  };
}
