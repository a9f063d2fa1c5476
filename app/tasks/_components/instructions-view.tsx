import Markdown, { type Components } from "react-markdown";
import type { Criterion } from "@/lib/annotation";

/** The study's instructions (markdown, rendered without raw HTML) and the scale points of each criterion. */
export function InstructionsView({
  markdown,
  criteria,
  headingLevel = 2,
}: {
  markdown: string;
  criteria: Criterion[];
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? "h2" : "h3";
  // The markdown's own headings sit under the page's: "#" becomes the level given, and so on.
  const level = (n: number) => `h${Math.min(6, n + headingLevel - 1)}` as "h2";
  const components: Components = Object.fromEntries(
    [1, 2, 3, 4, 5, 6].map((n) => [
      `h${n}`,
      ({ children }: { children?: React.ReactNode }) => {
        const Tag = level(n);
        return <Tag>{children}</Tag>;
      },
    ]),
  );
  // No images from anywhere: an image in the instructions would load from its host for every
  // annotator (a tracking pixel). Its alt text is shown instead; the CSP blocks other hosts too.
  components.img = ({ alt }) => <span className="muted">[image not shown{alt ? `: ${alt}` : ""}]</span>;
  return (
    <div className="instructions">
      <Markdown skipHtml components={components}>
        {markdown}
      </Markdown>
      <H>The scales at a glance</H>
      <dl>
        {criteria.map((c) => (
          <div key={c.key}>
            <dt>
              <strong>{c.label}</strong>
            </dt>
            <dd>
              {c.description}
              <ol className="anchors">
                {(["1", "2", "3", "4", "5"] as const)
                  .filter((p) => c.anchors[p])
                  .map((p) => (
                    <li key={p} value={Number(p)}>
                      <strong>{p}</strong>: {c.anchors[p]}
                    </li>
                  ))}
              </ol>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
