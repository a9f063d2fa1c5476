import type { JudgeCost } from "@/lib/judge";

const int = (n: number) => n.toLocaleString("en-US");

/** Tokens the judge spent on this study and what they cost at the prices set on the Systems page. */
export function JudgeCostTable({ costs }: { costs: JudgeCost[] }) {
  if (costs.length === 0) return null;
  return (
    <section aria-labelledby="judge-cost">
      <h2 id="judge-cost">Tokens and cost</h2>
      <table>
        <caption>Tokens the judge&apos;s endpoint reported for its stored ratings, priced per million tokens</caption>
        <thead>
          <tr>
            <th scope="col">Judge</th>
            <th scope="col">Calls</th>
            <th scope="col">Prompt tokens</th>
            <th scope="col">Completion tokens</th>
            <th scope="col">Cost</th>
            <th scope="col">Cost per call</th>
          </tr>
        </thead>
        <tbody>
          {costs.map((c) => (
            <tr key={c.judgeSystemId}>
              <th scope="row">{c.judgeName}</th>
              <td>
                {int(c.calls)}
                {c.callsWithUsage < c.calls ? ` (${int(c.callsWithUsage)} with token counts)` : ""}
              </td>
              <td>{int(c.promptTokens)}</td>
              <td>{int(c.completionTokens)}</td>
              {"value" in c.cost ? (
                <>
                  <td>{c.cost.value.toFixed(4)}</td>
                  <td>{c.cost.perCall.toFixed(6)}</td>
                </>
              ) : (
                <td colSpan={2} className="muted">
                  {c.cost.reason}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
