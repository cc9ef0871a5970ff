import type { DagStep } from '../types';

const W = 168;
const H = 46;
const GAP_X = 56;
const GAP_Y = 18;

interface Placed {
  step: DagStep;
  x: number;
  y: number;
}

/** Columns by longest path from a root: every step sits right of everything it needs. */
function layout(steps: readonly DagStep[]): { placed: Placed[]; width: number; height: number } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const level = new Map<string, number>();
  const levelOf = (id: string, seen: Set<string>): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const needs = byId.get(id)?.needs ?? [];
    const value = needs.length === 0 ? 0 : Math.max(...needs.map((n) => levelOf(n, seen) + 1));
    level.set(id, value);
    return value;
  };
  const rows = new Map<number, number>();
  const placed = steps.map((step) => {
    const col = levelOf(step.id, new Set());
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    return { step, x: col * (W + GAP_X), y: row * (H + GAP_Y) };
  });
  const cols = Math.max(1, ...[...rows.keys()].map((c) => c + 1));
  const maxRows = Math.max(1, ...rows.values());
  return { placed, width: cols * (W + GAP_X) - GAP_X, height: maxRows * (H + GAP_Y) - GAP_Y };
}

/** The workflow as a DAG: edges in SVG, steps as buttons (focusable, selectable). */
export function DagView({
  steps,
  selected,
  onSelect,
}: {
  steps: readonly DagStep[];
  selected: string | undefined;
  onSelect: (stepId: string) => void;
}) {
  const { placed, width, height } = layout(steps);
  const at = new Map(placed.map((p) => [p.step.id, p]));
  return (
    <div className="dag" style={{ width, height }}>
      <svg width={width} height={height} aria-hidden="true">
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="dag-arrow" />
          </marker>
        </defs>
        {placed.flatMap(({ step, x, y }) =>
          step.needs.map((need) => {
            const from = at.get(need);
            if (!from) return null;
            const x1 = from.x + W;
            const y1 = from.y + H / 2;
            const y2 = y + H / 2;
            const mid = (x1 + x) / 2;
            return (
              <path
                key={`${need}->${step.id}`}
                className="dag-edge"
                d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x - 2},${y2}`}
                markerEnd="url(#arrow)"
              />
            );
          }),
        )}
      </svg>
      {placed.map(({ step, x, y }) => (
        <button
          key={step.id}
          type="button"
          className={`dag-step status-${step.status}${selected === step.id ? ' selected' : ''}`}
          style={{ left: x, top: y, width: W, height: H }}
          aria-pressed={selected === step.id}
          aria-label={`step ${step.id}, ${step.kind}, ${step.status}`}
          onClick={() => onSelect(step.id)}
          data-step={step.id}
        >
          <span className="dag-id">{step.id}</span>
          <span className="dag-meta">
            {step.kind} · {step.status}
          </span>
        </button>
      ))}
    </div>
  );
}
