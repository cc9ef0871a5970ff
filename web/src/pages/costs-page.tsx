import { api } from '../api';
import { BarChart, DayChart } from '../components/bar-chart';
import { formatTokens, formatUsd, shortId } from '../format';
import { usePolling } from '../polling';
import type { CostReport } from '../types';

type Reports = Record<'agent' | 'model' | 'day' | 'run', CostReport>;

/** Spend by agent, model and day over the last 30 days, against the configured budgets. */
async function loadReports(): Promise<Reports> {
  const [agent, model, day, run] = await Promise.all(
    (['agent', 'model', 'day', 'run'] as const).map((by) => api<CostReport>(`/api/costs?by=${by}&limit=20`)),
  );
  return { agent: agent!, model: model!, day: day!, run: run! };
}

export function CostsPage() {
  const { data: reports, problem } = usePolling(loadReports, 5000);
  if (problem)
    return (
      <p className="error-line" role="alert">
        {problem}
      </p>
    );
  if (!reports) return <p className="muted">loading…</p>;
  const { budgets } = reports.agent;
  return (
    <section aria-labelledby="costs-title">
      <div className="page-head">
        <h1 id="costs-title" tabIndex={-1}>
          Costs
        </h1>
        <span className="metric">{formatUsd(reports.agent.total.costUsd)} in 30 days</span>
        <span className="metric">
          {formatTokens(reports.agent.total.inputTokens + reports.agent.total.outputTokens)} tokens
        </span>
        <span className="metric">{reports.agent.total.calls} model calls</span>
        <span className="metric">
          per-run budget: {budgets.perRun.usd === undefined ? 'none' : formatUsd(budgets.perRun.usd)}
        </span>
      </div>
      <div className="charts">
        <DayChart
          title="Spend per day (UTC)"
          days={reports.day.groups.map((g) => ({ day: g.key ?? '?', value: g.costUsd }))}
          budget={budgets.dailyUsd}
          format={formatUsd}
        />
        <BarChart
          title="Spend by agent (tick: the agent's per-run budget)"
          bars={reports.agent.groups.map((g) => ({
            label: g.key ?? '?',
            value: g.costUsd,
            limit: budgets.agents[g.key ?? '']?.usd,
            note: `· ${g.runs} runs`,
          }))}
          format={formatUsd}
        />
        <BarChart
          title="Spend by model"
          bars={reports.model.groups.map((g) => ({
            label: g.key ?? '?',
            value: g.costUsd,
            note: `· ${g.calls} calls`,
          }))}
          format={formatUsd}
        />
        <BarChart
          title="Most expensive runs (tick: the run's budget)"
          bars={reports.run.groups.map((g) => ({
            label: shortId(g.key ?? '?'),
            value: g.costUsd,
            limit: g.budgetUsd,
          }))}
          format={formatUsd}
        />
      </div>
    </section>
  );
}
