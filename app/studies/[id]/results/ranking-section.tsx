import type { RankingSummary } from "@/lib/results";
import { ci, num, pct } from "./format";

/** A RANKING study's own figures: mean rank per system and how often each student ranked at or above the teacher. */
export function RankingSection({ ranking: r }: { ranking: RankingSummary | null }) {
  if (!r) return null;
  return (
    <section aria-labelledby="ranking">
      <h2 id="ranking">Ranking</h2>
      <p>
        From {r.screens} ranking {r.screens === 1 ? "screen" : "screens"} on {r.sources}{" "}
        {r.sources === 1 ? "source" : "sources"}: each screen showed the teacher&apos;s and every student&apos;s text (
        {r.textsPerScreen} texts) in a random order, and the annotator ranked them (1 = best; ties share the better
        rank). Each screen is also stored as one teacher-vs-student rating per student, which every figure above uses.
        Intervals: 95% bootstrap over sources.
      </p>
      {r.screens === 0 ? (
        <p>No ranking screen has been submitted yet.</p>
      ) : (
        <table data-testid="ranking-table">
          <caption>Mean rank per system (1 = best) and share of screens at or above the teacher, 95% CI</caption>
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Mean rank [95% CI]</th>
              <th scope="col">Ranked at or above the teacher [95% CI]</th>
            </tr>
          </thead>
          <tbody>
            {r.systems.map((s) => (
              <tr key={s.systemId}>
                <th scope="row">
                  {s.name}
                  {s.isTeacher && " (teacher)"}
                </th>
                <td>
                  {num(s.meanRank.estimate)} {ci(s.meanRank.lower, s.meanRank.upper)}
                </td>
                <td>
                  {s.atOrAboveTeacher
                    ? `${pct(s.atOrAboveTeacher.estimate)} ${
                        s.atOrAboveTeacher.lower === null
                          ? "no CI"
                          : `[${pct(s.atOrAboveTeacher.lower)}, ${pct(s.atOrAboveTeacher.upper)}]`
                      }`
                    : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
