import type { Actor } from "@/lib/auth/permissions";
import { getStudyMetrics, METRICS } from "@/lib/results";
import { ci, num, pValue } from "./format";

/** Automatic metrics per system and their Spearman correlation with the human ratings; loaded after the statistics. */
export async function MetricsSection({ actor, studyId }: { actor: Actor; studyId: string }) {
  const m = await getStudyMetrics(actor, { studyId });
  return (
    <section aria-labelledby="metrics">
      <h2 id="metrics">Automatic metrics</h2>
      <table>
        <caption>Automatic metrics per system: means over all of its outputs in this study, 95% CI</caption>
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">Outputs</th>
            {METRICS.map((x) => (
              <th scope="col" key={x.key}>
                {x.label} <span className="muted">({x.note})</span>
              </th>
            ))}
            <th scope="col">
              Self-BLEU <span className="muted">(among a system&apos;s outputs for one source)</span>
            </th>
            <th scope="col">Semantic similarity</th>
          </tr>
        </thead>
        <tbody>
          {m.systems.map((s) => (
            <tr key={s.systemId}>
              <th scope="row">{s.name}</th>
              <td>{s.outputs}</td>
              {s.metrics.map((x) => (
                <td key={x.key}>
                  {x.result.ok ? (
                    `${num(x.result.estimate)} ${ci(x.result.lower, x.result.upper)}`
                  ) : (
                    <span className="muted">{x.result.reason}</span>
                  )}
                </td>
              ))}
              <td>
                {s.selfBleu.ok ? (
                  `${num(s.selfBleu.mean)} (${s.selfBleu.sources} sources)`
                ) : (
                  <span className="muted">{s.selfBleu.reason}</span>
                )}
              </td>
              <td>
                {s.semanticSimilarity.ok ? (
                  num(s.semanticSimilarity.mean)
                ) : (
                  <span className="muted">{s.semanticSimilarity.reason}</span>
                )}
              </td>
            </tr>
          ))}
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
