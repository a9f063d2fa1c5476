import type { StudyResults } from "@/lib/results";
import styles from "./results.module.css";

/** Says loudly when the figures come from simulated ratings, and when there is nothing yet. */
export function SimulatedBanner({ r }: { r: StudyResults }) {
  if (r.dataset.label === "SIMULATED") {
    return (
      <p className={styles.simulated} role="note" data-testid="simulated-banner">
        <strong>SIMULATED</strong>: every figure below comes from {r.dataset.simulatedRatings} simulated ratings made
        for the demo, not from people. They are replaced by real ratings as soon as the first real rating arrives.
      </p>
    );
  }
  if (r.dataset.realRatings === 0)
    return <p role="note">No ratings yet: the figures below appear as annotators rate pairs.</p>;
  return null;
}
