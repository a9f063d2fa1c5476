"use client";
/**
 * The results charts. Each is drawn with recharts and wrapped as one image with a text label;
 * the same numbers are in the table beside it. Systems are told apart by fill pattern and by
 * the value labels on the marks, never by colour alone.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  LabelList,
  Legend,
  ReferenceLine,
  Scatter,
  ScatterChart,
  XAxis,
  YAxis,
  ZAxis,
} from "recharts";

const INK = "#1a1a1a";
const FILLS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490"];
const PATTERNS = ["solid", "hatch", "dots", "cross", "vertical", "horizontal"] as const;

/** SVG patterns, one per series: solid, hatched, dotted, ... with a darker colour as a second cue. */
function Patterns({ count }: { count: number }) {
  return (
    <defs>
      {Array.from({ length: count }, (_, i) => {
        const kind = PATTERNS[i % PATTERNS.length];
        const color = FILLS[i % FILLS.length];
        return (
          <pattern key={i} id={`series-${i}`} width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill={kind === "solid" ? color : "#ffffff"} />
            {kind === "hatch" && <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke={color} strokeWidth="2.5" />}
            {kind === "dots" && <circle cx="4" cy="4" r="2.2" fill={color} />}
            {kind === "cross" && <path d="M0,0 L8,8 M8,0 L0,8" stroke={color} strokeWidth="2" />}
            {kind === "vertical" && <path d="M4,0 V8" stroke={color} strokeWidth="3" />}
            {kind === "horizontal" && <path d="M0,4 H8" stroke={color} strokeWidth="3" />}
          </pattern>
        );
      })}
    </defs>
  );
}

export const patternName = (i: number) => PATTERNS[i % PATTERNS.length];

function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div role="img" aria-label={label} className="chart">
      {children}
    </div>
  );
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));

/** Mean rating with its 95% CI, per criterion (groups) and system (bars). */
export function MeansChart({
  label,
  systems,
  rows,
}: {
  label: string;
  systems: string[];
  rows: { criterion: string; values: ({ mean: number; lower: number | null; upper: number | null } | null)[] }[];
}) {
  const data = rows.map((r) => {
    const d: Record<string, unknown> = { criterion: r.criterion };
    r.values.forEach((v, i) => {
      if (!v) return;
      d[`s${i}`] = v.mean;
      if (v.lower !== null && v.upper !== null) d[`e${i}`] = [v.mean - v.lower, v.upper - v.mean];
    });
    return d;
  });
  return (
    <Figure label={label}>
      <BarChart
        width={Math.max(520, rows.length * systems.length * 70 + 80)}
        height={320}
        data={data}
        accessibilityLayer={false}
        margin={{ top: 24, right: 16, bottom: 8, left: 0 }}
      >
        <Patterns count={systems.length} />
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="criterion" interval={0} tick={{ fill: INK, fontSize: 12 }} />
        {/* From 0, so a mean of 1 still has a bar (and its label) of visible height. */}
        <YAxis
          domain={[0, 5]}
          ticks={[0, 1, 2, 3, 4, 5]}
          tick={{ fill: INK }}
          label={{ value: "mean rating (scale 1–5)", angle: -90, position: "insideLeft", fill: INK }}
        />
        <Legend wrapperStyle={{ color: INK }} />
        {systems.map((name, i) => (
          <Bar
            key={name}
            dataKey={`s${i}`}
            name={`${name} (${patternName(i)})`}
            fill={`url(#series-${i})`}
            stroke={INK}
            isAnimationActive={false}
          >
            <ErrorBar dataKey={`e${i}`} width={6} stroke={INK} strokeWidth={1.5} direction="y" />
            <LabelList
              dataKey={`s${i}`}
              position="top"
              formatter={(v: unknown) => (typeof v === "number" ? v.toFixed(2) : "")}
              fill={INK}
              offset={14}
            />
          </Bar>
        ))}
      </BarChart>
    </Figure>
  );
}

/** Win / tie / loss shares of a student against the teacher, one stacked bar per row. */
export function WinTieLossChart({
  label,
  rows,
}: {
  label: string;
  rows: { name: string; wins: number; ties: number; losses: number }[];
}) {
  const data = rows.map((r) => ({ name: r.name, wins: 100 * r.wins, ties: 100 * r.ties, losses: 100 * r.losses }));
  const parts = [
    { key: "wins", name: "student better (solid)" },
    { key: "ties", name: "tie (hatched)" },
    { key: "losses", name: "teacher better (dotted)" },
  ];
  return (
    <Figure label={label}>
      <BarChart
        layout="vertical"
        width={720}
        height={60 + rows.length * 40}
        data={data}
        accessibilityLayer={false}
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <Patterns count={3} />
        {/* Fixed ticks: shares that add up to 100.00000000000001 must not become a tick label. */}
        <XAxis
          type="number"
          domain={[0, 100]}
          allowDataOverflow
          ticks={[0, 25, 50, 75, 100]}
          tickFormatter={(v: number) => `${Math.round(v)}%`}
          tick={{ fill: INK }}
        />
        <YAxis type="category" dataKey="name" width={240} tick={{ fill: INK, fontSize: 12 }} />
        <Legend wrapperStyle={{ color: INK }} />
        {parts.map((p, i) => (
          <Bar
            key={p.key}
            dataKey={p.key}
            name={p.name}
            stackId="a"
            fill={`url(#series-${i})`}
            stroke={INK}
            isAnimationActive={false}
          >
            <LabelList
              dataKey={p.key}
              position="center"
              formatter={(v: unknown) => (typeof v === "number" && v >= 8 ? `${v.toFixed(0)}%` : "")}
              fill={INK}
              style={{ paintOrder: "stroke", stroke: "#ffffff", strokeWidth: 3 }}
            />
          </Bar>
        ))}
      </BarChart>
    </Figure>
  );
}

/** Forest plot: one point estimate with its CI per row, a reference line at `reference`. */
export function ForestPlot({
  label,
  axisLabel,
  reference,
  rows,
}: {
  label: string;
  axisLabel: string;
  reference: number;
  rows: { name: string; estimate: number; lower: number | null; upper: number | null }[];
}) {
  const data = rows.map((r, i) => ({
    y: i,
    x: r.estimate,
    err: [r.lower === null ? 0 : r.estimate - r.lower, r.upper === null ? 0 : r.upper - r.estimate],
    name: r.name,
  }));
  return (
    <Figure label={label}>
      <ScatterChart
        width={640}
        height={80 + rows.length * 44}
        accessibilityLayer={false}
        margin={{ top: 16, right: 24, bottom: 24, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="x"
          tick={{ fill: INK }}
          label={{ value: axisLabel, position: "bottom", fill: INK }}
          domain={["auto", "auto"]}
        />
        <YAxis
          type="number"
          dataKey="y"
          domain={[-0.5, rows.length - 0.5]}
          ticks={rows.map((_, i) => i)}
          tickFormatter={(i: number) => rows[i]?.name ?? ""}
          width={220}
          tick={{ fill: INK, fontSize: 12 }}
          reversed
        />
        <ZAxis range={[70, 70]} />
        <ReferenceLine x={reference} stroke={INK} strokeDasharray="4 4" />
        <Scatter data={data} fill={INK} shape="square" isAnimationActive={false}>
          <ErrorBar dataKey="err" direction="x" width={8} stroke={INK} strokeWidth={1.5} />
          <LabelList
            dataKey="x"
            position="top"
            formatter={(v: unknown) => (typeof v === "number" ? fmt(v) : "")}
            fill={INK}
          />
        </Scatter>
      </ScatterChart>
    </Figure>
  );
}

/** Krippendorff's alpha per criterion with its CI; dashed lines at 0.667 and 0.8. */
export function AgreementChart({
  label,
  rows,
}: {
  label: string;
  rows: { name: string; alpha: number; lower: number | null; upper: number | null }[];
}) {
  const data = rows.map((r) => ({
    name: r.name,
    alpha: r.alpha,
    err: [r.lower === null ? 0 : r.alpha - r.lower, r.upper === null ? 0 : r.upper - r.alpha],
  }));
  return (
    <Figure label={label}>
      <BarChart
        width={Math.max(480, rows.length * 110 + 80)}
        height={300}
        data={data}
        accessibilityLayer={false}
        margin={{ top: 24, right: 48, bottom: 8, left: 0 }}
      >
        <Patterns count={1} />
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" interval={0} tick={{ fill: INK, fontSize: 11 }} />
        <YAxis
          domain={[-0.4, 1]}
          ticks={[-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 1]}
          tickFormatter={(v: number) => v.toFixed(1)}
          allowDataOverflow
          tick={{ fill: INK }}
          width={56}
          label={{ value: "Krippendorff's α", angle: -90, position: "insideLeft", fill: INK, dy: 50 }}
        />
        <ReferenceLine y={0} stroke={INK} />
        <ReferenceLine
          y={0.8}
          stroke={INK}
          strokeDasharray="4 4"
          label={{ value: "0.8", position: "right", fill: INK }}
        />
        <ReferenceLine
          y={0.667}
          stroke={INK}
          strokeDasharray="2 2"
          label={{ value: "0.667", position: "right", fill: INK }}
        />
        <Bar dataKey="alpha" name="alpha" fill="url(#series-0)" stroke={INK} isAnimationActive={false}>
          <ErrorBar dataKey="err" width={6} stroke={INK} strokeWidth={1.5} direction="y" />
          <LabelList
            dataKey="alpha"
            position="top"
            formatter={(v: unknown) => (typeof v === "number" ? v.toFixed(2) : "")}
            fill={INK}
            offset={14}
          />
        </Bar>
      </BarChart>
    </Figure>
  );
}

/** Quality against latency: one labelled point per system (log latency axis). */
export function QualityLatencyChart({
  label,
  yLabel,
  rows,
}: {
  label: string;
  yLabel: string;
  rows: { name: string; latencyMs: number; quality: number; lower: number; upper: number }[];
}) {
  const data = rows.map((r) => ({ ...r, err: [r.quality - r.lower, r.upper - r.quality] }));
  const lo = Math.min(...rows.map((r) => r.latencyMs));
  const hi = Math.max(...rows.map((r) => r.latencyMs));
  const decades = Array.from({ length: 12 }, (_, i) => 10 ** (i - 3)).filter((t) => t >= lo / 3 && t <= hi * 3);
  return (
    <Figure label={label}>
      <ScatterChart
        width={720}
        height={340}
        accessibilityLayer={false}
        margin={{ top: 24, right: 220, bottom: 32, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="latencyMs"
          scale="log"
          domain={[lo / 3, hi * 3]}
          ticks={decades.length ? decades : undefined}
          allowDataOverflow
          tickFormatter={(v: number) => String(v)}
          tick={{ fill: INK }}
          label={{ value: "median latency per paraphrase (ms, log scale)", position: "bottom", fill: INK }}
        />
        <YAxis
          type="number"
          dataKey="quality"
          domain={[1, 5]}
          ticks={[1, 2, 3, 4, 5]}
          allowDataOverflow
          tick={{ fill: INK }}
          label={{ value: yLabel, angle: -90, position: "insideLeft", fill: INK, dy: 50 }}
        />
        <ZAxis range={[90, 90]} />
        <Scatter data={data} fill={INK} shape="diamond" isAnimationActive={false}>
          <ErrorBar dataKey="err" direction="y" width={6} stroke={INK} />
          <LabelList dataKey="name" position="right" fill={INK} />
        </Scatter>
      </ScatterChart>
    </Figure>
  );
}
