import type { Actor } from "@/lib/auth/permissions";
import { getSettlingProgress, moreRatingsText } from "@/lib/results";

const VERDICT = { "non-inferior": "non-inferior", inferior: "inferior", inconclusive: "not settled" } as const;

/** During the study: each non-inferiority interval's current width and about how many more ratings would settle it. */
export async function Settling({ actor, studyId }: { actor: Actor; studyId: string }) {
  const { asOf, margin, rows } = await getSettlingProgress(actor, { studyId });
  const at = asOf.computedAt.slice(11, 16);
  return (
    <>
      <table data-testid="settling">
        <caption>
          Non-inferiority at the {+(100 * margin).toFixed(2)}% margin so far (results as of {at} UTC,{" "}
          {asOf.ratings.toLocaleString("en")} ratings{asOf.isUpdating ? "; being updated" : ""})
        </caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Criterion</th>
            <th scope="col">Verdict so far</th>
            <th scope="col">Interval width</th>
            <th scope="col">More ratings to settle</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.student}:${row.criterion}`}>
              <th scope="row">{row.student}</th>
              <td>{row.criterion}</td>
              {row.verdict === null ? (
                <td colSpan={3} className="muted">
                  not available yet: {row.reason}
                </td>
              ) : (
                <>
                  <td>
                    {VERDICT[row.verdict]} ({row.estimate!.toFixed(1)}% of the teacher)
                  </td>
                  <td>{row.width!.toFixed(1)} points</td>
                  <td>{moreRatingsText(row.moreRatings, row.remaining)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
