import Link from "next/link";

export default function NotFound() {
  return (
    <section aria-labelledby="nf-title">
      <h1 id="nf-title">404 — Page not found</h1>
      <p>There is nothing at this address. It may have been moved or deleted.</p>
      <p>
        <Link href="/">Go to your home page</Link>
      </p>
    </section>
  );
}
