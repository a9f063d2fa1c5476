/**
 * A readable name for an output set (the outputs one system made under one set of settings),
 * from what made it: the system, the decoding strategy and the settings that change the output.
 * Shown wherever output sets are listed or chosen, instead of a hash such as `s:b9f56bf9cc`.
 */
type Settings = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function studentStrategy(s: Settings): string {
  const beams = num(s.numBeams) ?? 1;
  const returned = num(s.numReturnSequences) ?? 1;
  const parts: string[] = [];
  switch (s.strategy) {
    case "beam":
      parts.push(`beam search, ${beams} beams`);
      break;
    case "diverse-beam":
      parts.push(
        `diverse beam search, ${beams} beams in ${num(s.numBeamGroups) ?? 1} groups, penalty ${num(s.diversityPenalty) ?? 0}`,
      );
      break;
    case "sampling": {
      const t = num(s.temperature) ?? 1;
      const k = num(s.topK) ?? 50;
      const p = num(s.topP) ?? 1;
      parts.push(`sampling, temperature ${t}${k ? `, top-k ${k}` : ""}${p < 1 ? `, top-p ${p}` : ""}`);
      if (num(s.seed) !== undefined) parts.push(`seed ${s.seed}`);
      break;
    }
    default:
      parts.push("greedy");
  }
  if (returned > 1) parts.push(`${returned} per source`);
  if ((num(s.maxNewTokens) ?? 32) !== 32) parts.push(`max ${s.maxNewTokens} tokens`);
  if ((num(s.repetitionPenalty) ?? 1) !== 1) parts.push(`repetition penalty ${s.repetitionPenalty}`);
  if ((num(s.noRepeatNgramSize) ?? 0) > 0) parts.push(`no repeated ${s.noRepeatNgramSize}-grams`);
  return parts.join(", ");
}

function teacherStrategy(s: Settings): string {
  const parts = [`${num(s.n) ?? 1} per request`, `temperature ${num(s.temperature) ?? "default"}`];
  if (typeof s.promptTemplate === "string" && s.promptTemplate.trim())
    parts.push(
      `custom prompt "${s.promptTemplate.trim().slice(0, 40)}${s.promptTemplate.trim().length > 40 ? "…" : ""}"`,
    );
  return parts.join(", ");
}

export function describeOutputSet(args: { systemName: string; settingsKey: string; settings: unknown }): string {
  const settings = (args.settings && typeof args.settings === "object" ? args.settings : {}) as Settings;
  if (args.settingsKey.startsWith("t:")) return `${args.systemName} · ${teacherStrategy(settings)}`;
  if (args.settingsKey.startsWith("s:") || "strategy" in settings)
    return `${args.systemName} · ${studentStrategy(settings)}`;
  return `${args.systemName} · imported`;
}
