import Link from "next/link";

export default function Forbidden() {
  return (
    <section aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">403 — Not allowed</h1>
      <p>Your role does not give you access to this page. If you think it should, ask an admin.</p>
      <p>
        <Link href="/">Go to your home page</Link>
      </p>
    </section>
  );
}
