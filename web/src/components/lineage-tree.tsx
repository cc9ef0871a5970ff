import { formatTokens, formatUsd } from '../format';
import type { LiveNode, LiveRun } from '../swarm-model';
import { Elapsed } from './elapsed';
import { GuardBadge, StatusBadge } from './status-badge';

interface Props {
  run: LiveRun;
  /** When given, nodes are buttons that select them. */
  onSelect?: (nodeId: string) => void;
  selected?: string | undefined;
}

/** The run's lineage: each agent with the agents it delegated to, as nested lists. */
export function LineageTree({ run, onSelect, selected }: Props) {
  if (run.roots.length === 0) return <p className="muted">no agents yet</p>;
  return (
    <ul className="tree" aria-label={`agents of run ${run.id}`}>
      {run.roots.map((id) => (
        <TreeNode key={id} run={run} id={id} onSelect={onSelect} selected={selected} />
      ))}
    </ul>
  );
}

function TreeNode({ run, id, onSelect, selected }: Props & { id: string }) {
  const node = run.nodes.get(id);
  if (!node) return null;
  return (
    <li className="tree-node" data-agent={node.agent} data-status={node.status}>
      {onSelect ? (
        <button
          type="button"
          className={`node-row as-button${selected === id ? ' selected' : ''}`}
          aria-pressed={selected === id}
          onClick={() => onSelect(id)}
        >
          <NodeLine node={node} />
        </button>
      ) : (
        <div className="node-row">
          <NodeLine node={node} />
        </div>
      )}
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <TreeNode key={child} run={run} id={child} onSelect={onSelect} selected={selected} />
          ))}
        </ul>
      )}
    </li>
  );
}

function NodeLine({ node }: { node: LiveNode }) {
  return (
    <>
      <span className="agent">{node.agent}</span>
      <StatusBadge status={node.status} />
      <GuardBadge guard={node.guard} />
      <span className="metric" title="tokens in / out">
        {formatTokens(node.inputTokens)}/{formatTokens(node.outputTokens)} tok
      </span>
      <span className="metric">{formatUsd(node.costUsd)}</span>
      <Elapsed since={node.startedAt} until={node.finishedAt} />
      <span className="task" title={node.task}>
        {node.task}
      </span>
    </>
  );
}
