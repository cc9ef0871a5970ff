const LABELS: Record<string, string> = {
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  waiting: 'waiting',
  queued: 'queued',
  pending: 'pending',
  skipped: 'skipped',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{LABELS[status] ?? status}</span>;
}

export function GuardBadge({ guard }: { guard: string | null }) {
  if (!guard) return null;
  return (
    <span className="badge guard" title={`stopped by the ${guard} guard`}>
      guard: {guard}
    </span>
  );
}
