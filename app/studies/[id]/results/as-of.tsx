import type { ResultsAsOf } from "@/lib/results";

/** "As of HH:MM, N ratings": results are stored when ratings change, and a view says which it shows. */
export function AsOf({ asOf }: { asOf: ResultsAsOf }) {
  const at = new Date(asOf.computedAt);
  const time = at.toISOString().slice(11, 16);
  return (
    <p data-testid="results-as-of" role={asOf.isUpdating ? "status" : undefined}>
      Results as of{" "}
      <time dateTime={asOf.computedAt} title={at.toUTCString()}>
        {time} UTC
      </time>
      , {asOf.ratings.toLocaleString("en")} ratings.
      {asOf.isUpdating && (
        <>
          {" "}
          <strong>
            Results are being updated
            {asOf.newerRatings > 0
              ? ` (${asOf.newerRatings.toLocaleString("en")} newer ${asOf.newerRatings === 1 ? "rating" : "ratings"})`
              : " (ratings or exclusions changed)"}
            ; these are the stored ones. Reload in a few seconds.
          </strong>
        </>
      )}
    </p>
  );
}
