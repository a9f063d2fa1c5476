/**
 * The results page's sections. Every chart has a table with its numbers next to it, and every
 * figure the data cannot support shows the statistics library's reason instead of a number.
 */
import { moreRatingsText, remainingRatings, type StudyResults } from "@/lib/results";
import { AgreementChart, ForestPlot, MeansChart, QualityLatencyChart, WinTieLossChart } from "./charts";
import { ExcludeAnnotatorButton } from "./exclude-button";
import { bytes, ci, count, ms, num, pct, pValue } from "./format";
import styles from "./results.module.css";

type R = StudyResults;
const Missing = ({ reason }: { reason: string }) => (
  <span className="muted">{reason.startsWith("no spread") ? reason : `not available: ${reason}`}</span>
);

export function names(r: R) {
  const sys = new Map(r.systems.map((s) => [s.id, s.name]));
  const crit = new Map(r.criteria.map((c) => [c.key, c.label]));
  return {
    system: (id: string) => sys.get(id) ?? id,
    criterion: (k: string) => crit.get(k) ?? (k === "overall" ? "Overall preference" : k),
  };
}

export function Headline({ r }: { r: R }) {
  if (!r.headlines.length) return <p>The study has no student systems.</p>;
  return (
    <section aria-labelledby="headline">
      <h2 id="headline">Headline</h2>
      {r.headlines.map((h) => (
        <p key={h.studentSystemId} className="headline" data-testid="headline">
          {h.sentence}
        </p>
      ))}
      <p className="muted">
        Quality is the student&apos;s mean rating as a share of the teacher&apos;s on the same items (ratio of means),
        judged against the study&apos;s non-inferiority margin of {+(100 * r.study.nonInferiorityMargin).toFixed(2)}%;
        size the ratio of parameter counts; speed the ratio of mean latency per paraphrase over the items both systems
        were timed on. Rating intervals account for annotators as well as items (two-way cluster-robust); the speed
        interval is a percentile bootstrap over items.
      </p>
    </section>
  );
}

/** Says, on every view of the figures, when the study is below its stated minimums and what is missing. */
export function PreliminaryBanner({ r }: { r: R }) {
  const readiness = r.statistics.meta.readiness;
  if (!readiness.isPreliminary) return null;
  const m = readiness.minimums;
  return (
    <p role="note" className={styles.preliminary} data-testid="preliminary-banner">
      <strong>PRELIMINARY</strong>: these figures are a pilot&apos;s until the study has at least {m.items} rated items,
      a median of {m.annotatorsPerItem} annotators per item and {m.annotators} annotators. Missing:{" "}
      {readiness.missing.join("; ")}.
    </p>
  );
}

const VERDICT_TEXT = {
  "non-inferior": "non-inferior",
  inferior: "inferior (worse by more than the margin)",
  inconclusive: "not settled",
} as const;

function withoutFlaggedVerdict(r: R, studentSystemId: string, criterion: string): React.ReactNode {
  const other = r.withoutFlagged?.statistics.nonInferiority.find(
    (x) => x.studentSystemId === studentSystemId && x.criterion === criterion,
  )?.result;
  if (!other) return "–";
  if (!other.ok) return <Missing reason={other.reason} />;
  return `${VERDICT_TEXT[other.verdict]}: ${other.estimate.toFixed(1)}% (bounds ${other.lowerBound.toFixed(1)}% to ${other.upperBound.toFixed(1)}%)`;
}

/** Non-inferiority at the study's margin per student and criterion, with the plan for 80% power. */
export function NonInferiority({ r }: { r: R }) {
  const n = names(r);
  const margin = +(100 * r.study.nonInferiorityMargin).toFixed(2);
  const plan = (studentSystemId: string, criterion: string) =>
    r.statistics.plans.find((p) => p.studentSystemId === studentSystemId && p.criterion === criterion)?.result;
  return (
    <section aria-labelledby="non-inferiority">
      <h2 id="non-inferiority">Non-inferiority at the {margin}% margin</h2>
      <p>
        A student is non-inferior when the lower bound of its score as a share of the teacher&apos;s is above{" "}
        {100 - margin}%. Bounds are one-sided, corrected for the number of students × criteria (Bonferroni), and account
        for annotators as well as items.
      </p>
      <table>
        <caption>Relative score, one-sided bounds, verdict, and how many more ratings would settle it</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Criterion</th>
            <th scope="col">Relative score</th>
            <th scope="col">Bounds (level)</th>
            <th scope="col">Verdict</th>
            <th scope="col">Interval width</th>
            <th scope="col">More ratings to settle</th>
            <th scope="col">Plan for 80% power</th>
            {r.withoutFlagged && <th scope="col">Without flagged annotators</th>}
          </tr>
        </thead>
        <tbody>
          {r.statistics.nonInferiority.map(({ studentSystemId, criterion, result }) => {
            const p = plan(studentSystemId, criterion);
            return (
              <tr key={`${studentSystemId}:${criterion}`} data-testid="non-inferiority-row">
                <th scope="row">{n.system(studentSystemId)}</th>
                <td>{n.criterion(criterion)}</td>
                {result.ok ? (
                  <>
                    <td>{result.estimate.toFixed(1)}%</td>
                    <td>
                      {result.lowerBound.toFixed(1)}% to {result.upperBound.toFixed(1)}% (
                      {+(100 * result.level).toFixed(2)}% each side)
                    </td>
                    <td>
                      <strong>{VERDICT_TEXT[result.verdict]}</strong>
                    </td>
                    <td>{result.width.toFixed(1)} points</td>
                    <td>{moreRatingsText(result.moreRatings, remainingRatings(r.progress, studentSystemId))}</td>
                  </>
                ) : (
                  <td colSpan={5}>
                    <Missing reason={result.reason} />
                  </td>
                )}
                <td>
                  {!p ? (
                    "–"
                  ) : p.ok ? (
                    `${p.items} items, ${p.annotators} annotators (${p.ratings} ratings)`
                  ) : (
                    <Missing reason={p.reason} />
                  )}
                </td>
                {r.withoutFlagged && <td>{withoutFlaggedVerdict(r, studentSystemId, criterion)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
      {r.withoutFlagged && (
        <p>
          Flagged annotators ({r.withoutFlagged.annotators.join(", ")}) count in the main columns; the last column
          leaves them out, so both readings are side by side. Their flags are in the Annotators table.
        </p>
      )}
      <p className="muted">
        The plan assumes the student is as good as the teacher and uses the spread of the ratings so far (items,
        annotators, rating noise), {r.study.annotatorsPerPair} annotators per item and the study&apos;s cap per
        annotator.
      </p>
    </section>
  );
}

export function Progress({ r }: { r: R }) {
  const p = r.progress;
  return (
    <section aria-labelledby="progress">
      <h2 id="progress">Progress</h2>
      <p>
        {p.done} of {p.needed} ratings done ({pct(p.needed ? p.done / p.needed : null)}): pairs ×{" "}
        {r.study.annotatorsPerPair} annotators per pair. Known-answer pairs: {p.checkPairs.gold} gold,{" "}
        {p.checkPairs.attention} attention, {p.checkPairs.ratings} ratings of them.
      </p>
      <table>
        <caption>Ratings done and needed per student</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Pairs</th>
            <th scope="col">Done</th>
            <th scope="col">Needed</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {p.perSystem.map((s) => (
            <tr key={s.systemId}>
              <th scope="row">{s.name}</th>
              <td>{s.pairs}</td>
              <td>{s.done}</td>
              <td>{s.needed}</td>
              <td>{pct(s.needed ? s.done / s.needed : null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Means({ r, withChart = true }: { r: R; withChart?: boolean }) {
  const n = names(r);
  const cell = (systemId: string, criterion: string) =>
    r.statistics.descriptives.find((d) => d.systemId === systemId && d.criterion === criterion)?.result;
  const rows = r.criteria.map((c) => ({
    criterion: c.label,
    values: r.systems.map((s) => {
      const d = cell(s.id, c.key);
      if (!d?.ok) return null;
      return d.meanCI.ok
        ? { mean: d.mean, lower: d.meanCI.lower, upper: d.meanCI.upper }
        : { mean: d.mean, lower: null, upper: null };
    }),
  }));
  return (
    <section aria-labelledby="means">
      <h2 id="means">Mean ratings with 95% confidence intervals</h2>
      <div className="chart-and-table">
        {withChart && (
          <MeansChart
            label={`Bar chart of mean rating per criterion and system, axis from 0, with 95% CI error bars and the value on each bar; the numbers are in the table "Mean ratings".`}
            systems={r.systems.map((s) => s.name)}
            rows={rows}
          />
        )}
        <table>
          <caption>Mean ratings (1–5) per criterion and system, 95% CI, items rated</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              {r.systems.map((s) => (
                <th scope="col" key={s.id}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.criteria.map((c) => (
              <tr key={c.key}>
                <th scope="row">{c.label}</th>
                {r.systems.map((s) => {
                  const d = cell(s.id, c.key);
                  if (!d) return <td key={s.id}>–</td>;
                  if (!d.ok)
                    return (
                      <td key={s.id}>
                        <Missing reason={d.reason} />
                      </td>
                    );
                  return (
                    <td key={s.id}>
                      {num(d.mean)}{" "}
                      {d.meanCI.ok ? ci(d.meanCI.lower, d.meanCI.upper) : <Missing reason={d.meanCI.reason} />}{" "}
                      <span className="muted">n = {d.items}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        Names in the table header: {r.systems.map((s) => `${s.name} (${s.role.toLowerCase()})`).join(", ")}.{" "}
        {n.system(r.statistics.meta.teacherSystemId)} is the teacher.
      </p>
    </section>
  );
}

export function Comparisons({ r, withChart = true }: { r: R; withChart?: boolean }) {
  const n = names(r);
  const wtl = r.statistics.comparisons.flatMap((c) =>
    c.result.ok
      ? [
          {
            name: `${n.system(c.studentSystemId)}: ${n.criterion(c.criterion)}`,
            wins: c.result.winTieLoss.wins.share,
            ties: c.result.winTieLoss.ties.share,
            losses: c.result.winTieLoss.losses.share,
          },
        ]
      : [],
  );
  const prefs = r.statistics.preferences.flatMap((c) =>
    c.result.ok
      ? [
          {
            name: `${n.system(c.studentSystemId)}: preferred overall`,
            wins: c.result.wins.share,
            ties: c.result.ties.share,
            losses: c.result.losses.share,
          },
        ]
      : [],
  );
  return (
    <section aria-labelledby="comparisons">
      <h2 id="comparisons">Student against teacher</h2>
      <p>
        Paired by source item. Tests on the {r.scale === "z" ? "per-annotator z-scores" : "raw ratings"} (switch above);
        means and the relative score always on raw ratings. Holm-adjusted p-values control the family-wise error within
        each family: {r.statistics.meta.holmFamilies.join("; ")}.
      </p>
      <table>
        <caption>
          Paired comparison per student and criterion: difference, relative score, Wilcoxon and sign tests with raw and
          Holm-adjusted p
        </caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Criterion</th>
            <th scope="col">Items</th>
            <th scope="col">Student − teacher [95% CI]</th>
            <th scope="col">% of teacher [95% CI]</th>
            <th scope="col">Wilcoxon p</th>
            <th scope="col">Wilcoxon p (Holm)</th>
            <th scope="col">Wins / ties / losses</th>
            <th scope="col">Sign test p</th>
            <th scope="col">Sign test p (Holm)</th>
          </tr>
        </thead>
        <tbody>
          {r.statistics.comparisons.map((c) => (
            <tr key={`${c.studentSystemId}-${c.criterion}`}>
              <th scope="row">{n.system(c.studentSystemId)}</th>
              <td>{n.criterion(c.criterion)}</td>
              {!c.result.ok ? (
                <td colSpan={8}>
                  <Missing reason={c.result.reason} />
                </td>
              ) : (
                <>
                  <td>{c.result.n}</td>
                  <td>
                    {c.result.meanDifference.ok ? (
                      `${num(c.result.meanDifference.estimate)} ${ci(c.result.meanDifference.lower, c.result.meanDifference.upper)}`
                    ) : (
                      <Missing reason={c.result.meanDifference.reason} />
                    )}
                  </td>
                  <td>
                    {c.result.relativeScore.ok ? (
                      `${num(c.result.relativeScore.estimate, 1)}% ${ci(c.result.relativeScore.lower, c.result.relativeScore.upper, 1)}`
                    ) : (
                      <Missing reason={c.result.relativeScore.reason} />
                    )}
                  </td>
                  {c.result.wilcoxon.ok ? (
                    <>
                      <td>{pValue(c.result.wilcoxon.p)}</td>
                      <td>{pValue(c.result.wilcoxon.pHolm)}</td>
                    </>
                  ) : (
                    <td colSpan={2}>
                      <Missing reason={c.result.wilcoxon.reason} />
                    </td>
                  )}
                  <td>
                    {c.result.winTieLoss.wins.count} / {c.result.winTieLoss.ties.count} /{" "}
                    {c.result.winTieLoss.losses.count}
                  </td>
                  {c.result.winTieLoss.signTest.ok ? (
                    <>
                      <td>{pValue(c.result.winTieLoss.signTest.p)}</td>
                      <td>{pValue(c.result.winTieLoss.signTest.pHolm)}</td>
                    </>
                  ) : (
                    <td colSpan={2}>
                      <Missing reason={c.result.winTieLoss.signTest.reason} />
                    </td>
                  )}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Win, tie and loss</h3>
      <div className="chart-and-table">
        {withChart && wtl.length + prefs.length > 0 && (
          <WinTieLossChart
            label={`Stacked bars of the share of items where the student was better than, tied with or worse than the teacher; the numbers are in the table "Win, tie and loss shares".`}
            rows={[...wtl, ...prefs]}
          />
        )}
        <table>
          <caption>
            Win, tie and loss shares of each student against the teacher (items by rating; judgments for the direct
            preference), with the sign test
          </caption>
          <thead>
            <tr>
              <th scope="col">Comparison</th>
              <th scope="col">Student better</th>
              <th scope="col">Tie</th>
              <th scope="col">Teacher better</th>
              <th scope="col">Sign test p</th>
              <th scope="col">p (Holm)</th>
            </tr>
          </thead>
          <tbody>
            {r.statistics.preferences.map((c) => (
              <tr key={`pref-${c.studentSystemId}-${c.criterion}`}>
                <th scope="row">
                  {n.system(c.studentSystemId)}: {n.criterion(c.criterion)}
                </th>
                {!c.result.ok ? (
                  <td colSpan={5}>
                    <Missing reason={c.result.reason} />
                  </td>
                ) : (
                  <>
                    <td>
                      {pct(c.result.wins.share)} {ci(c.result.wins.lower, c.result.wins.upper)}
                    </td>
                    <td>{pct(c.result.ties.share)}</td>
                    <td>
                      {pct(c.result.losses.share)} {ci(c.result.losses.lower, c.result.losses.upper)}
                    </td>
                    {c.result.signTest.ok ? (
                      <>
                        <td>{pValue(c.result.signTest.p)}</td>
                        <td>{pValue(c.result.signTest.pHolm)}</td>
                      </>
                    ) : (
                      <td colSpan={2}>
                        <Missing reason={c.result.signTest.reason} />
                      </td>
                    )}
                  </>
                )}
              </tr>
            ))}
            {r.statistics.comparisons.map(
              (c) =>
                c.result.ok && (
                  <tr key={`wtl-${c.studentSystemId}-${c.criterion}`}>
                    <th scope="row">
                      {n.system(c.studentSystemId)}: {n.criterion(c.criterion)}
                    </th>
                    <td>{pct(c.result.winTieLoss.wins.share)}</td>
                    <td>{pct(c.result.winTieLoss.ties.share)}</td>
                    <td>{pct(c.result.winTieLoss.losses.share)}</td>
                    {c.result.winTieLoss.signTest.ok ? (
                      <>
                        <td>{pValue(c.result.winTieLoss.signTest.p)}</td>
                        <td>{pValue(c.result.winTieLoss.signTest.pHolm)}</td>
                      </>
                    ) : (
                      <td colSpan={2}>
                        <Missing reason={c.result.winTieLoss.signTest.reason} />
                      </td>
                    )}
                  </tr>
                ),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function BradleyTerry({ r, withChart = true }: { r: R; withChart?: boolean }) {
  const n = names(r);
  return (
    <section aria-labelledby="bt">
      <h2 id="bt">Bradley–Terry strengths</h2>
      {r.statistics.bradleyTerry.map((b) => (
        <div key={b.criterion}>
          <h3>{n.criterion(b.criterion)}</h3>
          {!b.result.ok ? (
            <p>
              <Missing reason={b.result.reason} />
            </p>
          ) : (
            <div className="chart-and-table">
              {withChart && (
                <ForestPlot
                  label={`Forest plot of Bradley–Terry log-strengths with 95% CIs, centred on the mean system; the numbers are in the table "Bradley–Terry strengths".`}
                  axisLabel="log-strength (mean of all systems = 0)"
                  reference={0}
                  rows={b.result.systems.map((s) => ({
                    name: n.system(s.systemId),
                    estimate: s.logStrength,
                    lower: s.lower,
                    upper: s.upper,
                  }))}
                />
              )}
              <table>
                <caption>
                  Bradley–Terry log-strengths (centred: mean of all systems = 0) and probability of being preferred to
                  the teacher, 95% CI; {b.result.comparisons} comparisons
                </caption>
                <thead>
                  <tr>
                    <th scope="col">System</th>
                    <th scope="col">Log-strength [95% CI]</th>
                    <th scope="col">P(preferred to teacher) [95% CI]</th>
                  </tr>
                </thead>
                <tbody>
                  {b.result.systems.map((s) => {
                    const v = b.result.ok
                      ? b.result.versusReference?.find((x) => x.systemId === s.systemId)
                      : undefined;
                    return (
                      <tr key={s.systemId}>
                        <th scope="row">{n.system(s.systemId)}</th>
                        <td>
                          {num(s.logStrength)} {ci(s.lower, s.upper)}
                        </td>
                        <td>{v ? `${num(v.probability)} ${ci(v.lower, v.upper)}` : "–"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}

export function Agreement({ r, withChart = true }: { r: R; withChart?: boolean }) {
  const n = names(r);
  const all = [...r.statistics.agreement.ratings, ...r.statistics.agreement.preferences];
  const okRows = all.flatMap((a) =>
    a.result.ok
      ? [
          {
            name: n.criterion(a.criterion),
            alpha: a.result.alpha,
            lower: a.result.ci?.lower ?? null,
            upper: a.result.ci?.upper ?? null,
          },
        ]
      : [],
  );
  return (
    <section aria-labelledby="agreement">
      <h2 id="agreement">Inter-annotator agreement</h2>
      <div className="chart-and-table">
        {withChart && okRows.length > 0 && (
          <AgreementChart
            label={`Bar chart of Krippendorff's alpha per criterion with 95% CIs; the numbers are in the table "Krippendorff's alpha".`}
            rows={okRows}
          />
        )}
        <table>
          <caption>
            Krippendorff&apos;s alpha per criterion (ordinal for ratings, nominal for the preference), 95% CI over items
          </caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">Level</th>
              <th scope="col">Alpha [95% CI]</th>
              <th scope="col">Pairable units</th>
            </tr>
          </thead>
          <tbody>
            {all.map((a) => (
              <tr key={a.criterion}>
                <th scope="row">{n.criterion(a.criterion)}</th>
                <td>{a.level}</td>
                {a.result.ok ? (
                  <>
                    <td>
                      {num(a.result.alpha)} {ci(a.result.ci?.lower ?? null, a.result.ci?.upper ?? null)}
                    </td>
                    <td>{a.result.pairableUnits}</td>
                  </>
                ) : (
                  <td colSpan={2}>
                    <Missing reason={a.result.reason} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">Alpha ≥ 0.8 is usually read as reliable, ≥ 0.667 as tentative (Krippendorff).</p>
    </section>
  );
}

export function PositionBias({ r }: { r: R }) {
  const n = names(r);
  return (
    <section aria-labelledby="position">
      <h2 id="position">Position bias</h2>
      <table>
        <caption>
          Preferences for the left and the right side, whatever system was shown there; sign test against 50/50
        </caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Left</th>
            <th scope="col">Right</th>
            <th scope="col">Ties</th>
            <th scope="col">Left share of decisive</th>
            <th scope="col">Sign test p</th>
          </tr>
        </thead>
        <tbody>
          {r.statistics.positionBias.map((b) => (
            <tr key={b.criterion}>
              <th scope="row">{n.criterion(b.criterion)}</th>
              {b.result.ok ? (
                <>
                  <td>{b.result.left}</td>
                  <td>{b.result.right}</td>
                  <td>{b.result.ties}</td>
                  <td>{pct(b.result.leftShare, 1)}</td>
                  <td>
                    {b.result.signTest.ok ? pValue(b.result.signTest.p) : <Missing reason={b.result.signTest.reason} />}
                  </td>
                </>
              ) : (
                <td colSpan={5}>
                  <Missing reason={b.result.reason} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Efficiency({ r, withChart = true }: { r: R; withChart?: boolean }) {
  const headline = r.headlines[0]?.quality.criterion || r.criteria[0]?.key;
  const label = r.criteria.find((c) => c.key === headline)?.label ?? "quality";
  const points = r.efficiency.flatMap((e) => {
    const d = r.statistics.descriptives.find((x) => x.systemId === e.systemId && x.criterion === headline)?.result;
    return e.latency.ok && d?.ok && d.meanCI.ok
      ? [{ name: e.name, latencyMs: e.latency.medianMs, quality: d.mean, lower: d.meanCI.lower, upper: d.meanCI.upper }]
      : [];
  });
  return (
    <section aria-labelledby="efficiency">
      <h2 id="efficiency">Size and speed</h2>
      <div className="chart-and-table">
        {withChart && points.length > 0 && (
          <QualityLatencyChart
            label={`Scatter plot of mean ${label} rating against median latency per paraphrase, one labelled point per system; the numbers are in the table "Size and speed".`}
            yLabel="mean rating (1–5)"
            rows={points}
          />
        )}
        <table>
          <caption>
            Size and speed per system: parameters, size on disk, latency per paraphrase (median, 95th percentile),
            throughput of one stream, cost per 1,000 paraphrases at the prices set on the Systems page (hosted systems:
            recorded tokens; ONNX students: recorded CPU time at a price per CPU-hour), and a student&apos;s CPU time
          </caption>
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Parameters</th>
              <th scope="col">Size on disk</th>
              <th scope="col">Median latency</th>
              <th scope="col">p95 latency</th>
              <th scope="col">Paraphrases / s</th>
              <th scope="col">Tokens / s</th>
              <th scope="col">Timed outputs</th>
              <th scope="col">Cost / 1,000 paraphrases</th>
              <th scope="col">CPU time / 1,000 paraphrases</th>
              <th scope="col">Mean {label.toLowerCase()}</th>
            </tr>
          </thead>
          <tbody>
            {r.efficiency.map((e) => {
              const p = points.find((x) => x.name === e.name);
              return (
                <tr key={e.systemId}>
                  <th scope="row">
                    {e.name} <span className="muted">({e.role.toLowerCase()})</span>
                  </th>
                  <td>
                    {e.parameterCount.ok ? count(e.parameterCount.value) : <Missing reason={e.parameterCount.reason} />}
                  </td>
                  <td>
                    {e.sizeOnDiskBytes.ok ? (
                      bytes(e.sizeOnDiskBytes.value)
                    ) : (
                      <Missing reason={e.sizeOnDiskBytes.reason} />
                    )}
                  </td>
                  {e.latency.ok ? (
                    <>
                      <td>{ms(e.latency.medianMs)}</td>
                      <td>{ms(e.latency.p95Ms)}</td>
                      <td>{num(e.latency.paraphrasesPerSecond, 1)}</td>
                      <td>{e.latency.tokensPerSecond === null ? "not recorded" : num(e.latency.tokensPerSecond, 0)}</td>
                      <td>
                        {e.latency.timedOutputs} of {e.latency.outputs}
                      </td>
                    </>
                  ) : (
                    <td colSpan={5}>
                      <Missing reason={e.latency.reason} />
                    </td>
                  )}
                  <td>
                    {e.costPer1000.ok ? (
                      <>
                        {num(e.costPer1000.value, 4)}
                        {e.costPer1000.basis && (
                          <div className="muted" style={{ fontSize: "0.85em" }}>
                            {e.costPer1000.basis}
                          </div>
                        )}
                      </>
                    ) : (
                      <Missing reason={e.costPer1000.reason} />
                    )}
                  </td>
                  <td>{e.cpu.ok ? `${num(e.cpu.secondsPer1000, 1)} CPU-s` : <Missing reason={e.cpu.reason} />}</td>
                  <td>{p ? `${num(p.quality)} ${ci(p.lower, p.upper)}` : "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Annotators({ r }: { r: R }) {
  return (
    <section aria-labelledby="annotators">
      <h2 id="annotators">Annotators</h2>
      <table>
        <caption>
          Per annotator (pseudonyms): ratings, median active time, known-answer accuracy and agreement with the others
          (Krippendorff&apos;s alpha, interval, between the annotator&apos;s rating of an output and the mean of the
          others&apos; ratings of it)
        </caption>
        <thead>
          <tr>
            <th scope="col">Annotator</th>
            <th scope="col">Ratings</th>
            <th scope="col">Median time</th>
            <th scope="col">Gold accuracy</th>
            <th scope="col">Attention checks</th>
            <th scope="col">Flags</th>
            {r.criteria.map((c) => (
              <th scope="col" key={c.key}>
                α with others: {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.annotators.map((a) => (
            <tr key={a.annotatorId}>
              <th scope="row">
                {a.pseudonym}
                {a.isPaused && (
                  <span className="muted">
                    {" "}
                    (paused{a.pausedReason ? `: ${a.pausedReason}` : ""}; left out of the statistics)
                  </span>
                )}
              </th>
              <td>
                {a.regularRatings}
                {a.ratings > a.regularRatings && (
                  <span className="muted"> + {a.ratings - a.regularRatings} checks</span>
                )}
              </td>
              <td>{a.medianActiveMs === null ? "–" : ms(a.medianActiveMs)}</td>
              <td>
                {a.gold.answered ? `${pct(a.gold.accuracy)} (${a.gold.correct}/${a.gold.answered})` : "none answered"}
              </td>
              <td>{a.attention.answered ? `${a.attention.correct}/${a.attention.answered}` : "none answered"}</td>
              <td data-testid="annotator-flags">
                {a.flags.length ? <strong>{a.flags.join("; ")}</strong> : "none"}
                {(a.flags.length > 0 || a.isPaused) && (
                  <>
                    {" "}
                    <ExcludeAnnotatorButton
                      studyId={r.study.id}
                      userId={a.annotatorId}
                      pseudonym={a.pseudonym}
                      flags={a.flags}
                      isExcluded={a.isPaused}
                    />
                  </>
                )}
              </td>
              {a.agreement.map((g) => (
                <td key={g.criterion}>
                  {g.result.ok ? (
                    `${num(g.result.alpha)} (${g.result.units} units)`
                  ) : (
                    <Missing reason={g.result.reason} />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Notes({ r }: { r: R }) {
  const m = r.statistics.meta;
  return (
    <section aria-labelledby="notes">
      <h2 id="notes">Method notes</h2>
      <ul>
        <li>
          {m.counts.ratings} rated values and {m.counts.preferences} preferences from {m.counts.annotators} annotators
          on {m.counts.items} items; {m.options.bootstrapSamples} bootstrap resamples of items, seed {m.options.seed},{" "}
          {Math.round(m.options.level * 100)}% intervals.
        </li>
        {r.dataset.excludedRatings > 0 && (
          <li>
            {r.dataset.excludedRatings} ratings by paused annotators ({r.dataset.excludedAnnotators.join(", ")}) are
            left out of every statistic.
          </li>
        )}
        {r.dataset.kind === "real" && r.dataset.simulatedRatings > 0 && (
          <li>
            {r.dataset.simulatedRatings} simulated ratings exist and are not used: real and simulated ratings are never
            mixed.
          </li>
        )}
        {m.warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
        <li>Computed {new Date(r.computedAt).toUTCString()} from the database as it was then (nothing cached).</li>
      </ul>
    </section>
  );
}
