import type { JudgeAgreement as Agreement } from "@/lib/judge";

const fmt = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(d);
/** "a to b": a dash between two numbers misreads once either is negative ("-0.74–-0.57"). */
const range = (lo: number, hi: number, d = 2, unit = "") => `${fmt(lo, d)}${unit} to ${fmt(hi, d)}${unit}`;

/** The judge beside the annotators: preference agreement, then per criterion means, Spearman and alpha. */
export function JudgeAgreement({ r }: { r: Agreement }) {
  return (
    <>
      <p>
        Pairs judged in both orders: {r.judgedPairs}; pairs with human ratings: {r.humanRatedPairs}; compared:{" "}
        {r.comparablePairs}.
        {r.judgeLeftShare !== null && (
          <>
            {" "}
            The judge chose the left text in {fmt(r.judgeLeftShare * 100, 1)}% of its decisive answers (50% means no
            position bias).
          </>
        )}
        {r.flipRate && (
          <span data-testid="judge-flip-rate">
            {" "}
            Its verdict changed when the sides were swapped in {r.flipRate.flipped} of {r.flipRate.pairs} pairs (
            {fmt(r.flipRate.share * 100, 1)}%).
          </span>
        )}
      </p>
      <p data-testid="preference-agreement">
        {r.preferenceAgreement.ok
          ? `${fmt(r.preferenceAgreement.estimate * 100, 1)}% of pairs (95% CI ${range(r.preferenceAgreement.lower * 100, r.preferenceAgreement.upper * 100, 1, "%")}) get the same verdict (teacher, tie or student) from the judge as from the annotators' majority.`
          : `Preference agreement: not enough data (${r.preferenceAgreement.reason}).`}
      </p>
      <table>
        <caption>Judge and annotators per criterion (scores 1–5)</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Teacher: judge / humans</th>
            <th scope="col">Student: judge / humans</th>
            <th scope="col">Spearman ρ</th>
            <th scope="col">Krippendorff α (interval, 95% CI)</th>
          </tr>
        </thead>
        <tbody>
          {r.criteria.map((c) => (
            <tr key={c.criterion}>
              <th scope="row">{c.label}</th>
              <td>
                {fmt(c.judgeMean.teacher)} / {fmt(c.humanMean.teacher)}
              </td>
              <td>
                {fmt(c.judgeMean.student)} / {fmt(c.humanMean.student)}
              </td>
              <td>
                {c.spearman.ok
                  ? `${fmt(c.spearman.r)} (n = ${c.spearman.n}, p = ${c.spearman.p.toPrecision(2)})`
                  : c.spearman.reason}
              </td>
              <td>
                {c.alpha.ok
                  ? `${fmt(c.alpha.alpha)}${c.alpha.ci ? ` (${range(c.alpha.ci.lower, c.alpha.ci.upper)})` : ""}`
                  : c.alpha.reason}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
