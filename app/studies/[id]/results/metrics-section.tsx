import Link from "next/link";
import type { Actor } from "@/lib/auth/permissions";
import { getStudyMetrics, METRICS, type MetricsBasis } from "@/lib/results";
import { ci, num, pValue } from "./format";

const AXIS_LABEL = { semantic: "Semantic", lexical: "Lexical", syntactic: "Syntactic", length: "Length" } as const;

/** Automatic metrics per system, by the axis each measures, and their Spearman correlation with the human ratings. */
export async function MetricsSection({
  actor,
  studyId,
  basis = "rated",
}: {
  actor: Actor;
  studyId: string;
  basis?: MetricsBasis;
}) {
  const m = await getStudyMetrics(actor, { studyId, basis });
  const other = basis === "rated" ? "all" : "rated";
  return (
    <section aria-labelledby="metrics">
      <h2 id="metrics">Automatic metrics</h2>
      <p>
        On <strong>{m.basisLabel}</strong>.{" "}
        <Link href={`/studies/${studyId}/results?metrics=${other}#metrics`}>
          {other === "all" ? "Show all outputs (rated or not)" : "Show only the outputs people rate"}
        </Link>
        {m.embeddingModel ? <> · Sentence encoder: {m.embeddingModel}</> : null}
      </p>
      <p className="no-print">
        The paper&apos;s table (size, speed, cost, semantic similarity, TED, WPD, LD, human scores):{" "}
        <a href={`/api/studies/${studyId}/export/paper-table?format=csv`} download>
          CSV
        </a>{" "}
        ·{" "}
        <a href={`/api/studies/${studyId}/export/paper-table?format=latex`} download>
          LaTeX
        </a>
      </p>
      <table>
        <caption>Automatic metrics per system: mean over its outputs, 95% bootstrap CI</caption>
        <thead>
          <tr>
            <th scope="col">Axis</th>
            <th scope="col">Metric</th>
            {m.systems.map((s) => (
              <th scope="col" key={s.systemId}>
                {s.name} <span className="muted">({s.outputs} outputs)</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {METRICS.map((x) => (
            <tr key={x.key} data-metric={x.key}>
              <td>{AXIS_LABEL[x.axis]}</td>
              <th scope="row">
                {x.label} <span className="muted">({x.note})</span>
              </th>
              {m.systems.map((s) => {
                const r = s.metrics.find((k) => k.key === x.key)!.result;
                return (
                  <td key={s.systemId}>
                    {r.ok ? `${num(r.estimate)} ${ci(r.lower, r.upper)}` : <span className="muted">{r.reason}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr>
            <td>Diversity</td>
            <th scope="row">
              Self-BLEU <span className="muted">(among all of a system&apos;s outputs for one source)</span>
            </th>
            {m.systems.map((s) => (
              <td key={s.systemId}>
                {s.selfBleu.ok ? (
                  `${num(s.selfBleu.mean)} (${s.selfBleu.sources} sources)`
                ) : (
                  <span className="muted">{s.selfBleu.reason}</span>
                )}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      <table>
        <caption>
          Spearman correlation of each metric with the mean human rating of the same output (
          {m.dataset === "SIMULATED" ? "SIMULATED ratings" : "real ratings"}), all systems pooled: rho, p, outputs
        </caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {m.criteria.map((c) => (
              <th scope="col" key={c.key}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {METRICS.map((x) => (
            <tr key={x.key}>
              <th scope="row">{x.label}</th>
              {m.criteria.map((c) => {
                const r = m.correlations.find((k) => k.metric === x.key && k.criterion === c.key)?.result;
                return (
                  <td key={c.key}>
                    {!r ? (
                      "–"
                    ) : r.ok ? (
                      `ρ = ${num(r.r)}, p ${pValue(r.p).startsWith("<") ? pValue(r.p) : `= ${pValue(r.p)}`}, n = ${r.n}`
                    ) : (
                      <span className="muted">{r.reason}</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
