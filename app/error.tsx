"use client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section aria-labelledby="err-title">
      <h1 id="err-title">500 — Something went wrong</h1>
      <p>We could not show this page. Nothing you saved was lost. Try again; if it keeps happening, tell an admin.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
