export interface Bar {
  label: string;
  value: number;
  /** A limit to draw against, in the same unit. */
  limit?: number | null | undefined;
  note?: string;
}

const ROW = 26;
const LABEL_W = 170;
const VALUE_W = 150;

/**
 * Horizontal bars in plain SVG. A bar past its limit turns red; the limit is
 * a tick on its row. The numbers are also in a table for screen readers.
 */
export function BarChart({
  title,
  bars,
  format,
  width = 640,
}: {
  title: string;
  bars: readonly Bar[];
  format: (v: number) => string;
  width?: number;
}) {
  const plot = width - LABEL_W - VALUE_W;
  const max = Math.max(1e-12, ...bars.map((b) => Math.max(b.value, b.limit ?? 0)));
  const height = Math.max(ROW, bars.length * ROW);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">No spend in this period.</p>
      ) : (
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`${title}: ${bars.map((b) => `${b.label} ${format(b.value)}`).join(', ')}`}
        >
          {bars.map((b, i) => {
            const y = i * ROW;
            const w = Math.max(1, (b.value / max) * plot);
            const over = b.limit != null && b.value > b.limit;
            return (
              <g key={b.label} transform={`translate(0,${y})`}>
                <text x={LABEL_W - 8} y={ROW / 2 + 4} textAnchor="end" className="chart-label">
                  {b.label.length > 24 ? `${b.label.slice(0, 23)}…` : b.label}
                </text>
                <rect
                  x={LABEL_W}
                  y={4}
                  width={w}
                  height={ROW - 8}
                  rx={3}
                  className={over ? 'bar over' : 'bar'}
                />
                {b.limit != null && (
                  <line
                    x1={LABEL_W + (b.limit / max) * plot}
                    x2={LABEL_W + (b.limit / max) * plot}
                    y1={1}
                    y2={ROW - 1}
                    className="limit"
                  />
                )}
                <text x={LABEL_W + plot + 8} y={ROW / 2 + 4} className="chart-value">
                  {format(b.value)}
                  {b.note ? ` ${b.note}` : ''}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

/** Vertical bars over days with a dashed budget line. */
export function DayChart({
  title,
  days,
  budget,
  format,
  width = 640,
  height = 180,
}: {
  title: string;
  days: readonly { day: string; value: number }[];
  budget: number | null;
  format: (v: number) => string;
  width?: number;
  height?: number;
}) {
  const pad = 28;
  const max = Math.max(1e-12, budget ?? 0, ...days.map((d) => d.value));
  const slot = days.length ? (width - pad * 2) / days.length : 0;
  const y = (v: number) => height - pad - (v / max) * (height - pad * 2);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {days.length === 0 ? (
        <p className="muted">No spend in this period.</p>
      ) : (
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`${title}: ${days.map((d) => `${d.day} ${format(d.value)}`).join(', ')}`}
        >
          <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} className="axis" />
          {days.map((d, i) => {
            const over = budget != null && d.value > budget;
            return (
              <g key={d.day}>
                <rect
                  x={pad + i * slot + (slot - Math.max(1, Math.min(48, slot * 0.7))) / 2}
                  y={y(d.value)}
                  width={Math.max(1, Math.min(48, slot * 0.7))}
                  height={Math.max(1, height - pad - y(d.value))}
                  className={over ? 'bar over' : 'bar'}
                >
                  <title>{`${d.day}: ${format(d.value)}`}</title>
                </rect>
                {(days.length <= 10 || i % Math.ceil(days.length / 10) === 0) && (
                  <text
                    x={pad + i * slot + slot / 2}
                    y={height - 8}
                    textAnchor="middle"
                    className="chart-label"
                  >
                    {d.day.slice(5)}
                  </text>
                )}
              </g>
            );
          })}
          {budget != null && (
            <>
              <line x1={pad} x2={width - pad} y1={y(budget)} y2={y(budget)} className="limit dashed" />
              <text x={width - pad} y={y(budget) - 4} textAnchor="end" className="chart-label">
                daily budget {format(budget)}
              </text>
            </>
          )}
        </svg>
      )}
    </figure>
  );
}
