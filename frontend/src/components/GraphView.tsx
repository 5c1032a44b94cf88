import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Background, Controls, MarkerType, MiniMap, ReactFlow, type Edge, type Node, type NodeProps, Handle, Position } from '@xyflow/react';
import dagre from '@dagrejs/dagre';
import '@xyflow/react/dist/style.css';
import { useLoad } from '../api/useLoad';
import type { Graph, GraphNode } from '../api/types.gen';
import { entityPath } from '../api/refs';
import { kindLabel } from '../kinds';
import { KindIcon } from './KindIcon';
import { ErrorState, Loading } from './States';

const NODE_W = 210;
const NODE_H = 48;

/** "ownedBy" → "owned by". */
function relationLabel(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Lays the graph out left to right with dagre: relations read as arrows from what states them. */
function layout(g: Graph): { nodes: Node<{ node: GraphNode; root: boolean }>[]; edges: Edge[] } {
  const d = new dagre.graphlib.Graph();
  d.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 90 });
  d.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) d.setNode(n.ref, { width: NODE_W, height: NODE_H });
  for (const e of g.edges) d.setEdge(e.source, e.target);
  dagre.layout(d);
  const nodes = g.nodes.map((n) => {
    const p = d.node(n.ref);
    return {
      id: n.ref,
      type: 'entity',
      position: { x: p.x - NODE_W / 2, y: p.y - NODE_H / 2 },
      // Known sizes, so the minimap and the first fit need no measuring.
      width: NODE_W,
      height: NODE_H,
      data: { node: n, root: n.depth === 0 },
    };
  });
  const edges = g.edges.map((e) => ({
    id: `${e.source} ${e.type} ${e.target}`,
    source: e.source,
    target: e.target,
    label: relationLabel(e.type),
    markerEnd: { type: MarkerType.ArrowClosed },
    className: 'graph-edge',
  }));
  return { nodes, edges };
}

function EntityNode({ data }: NodeProps<Node<{ node: GraphNode; root: boolean }>>) {
  const n = data.node;
  return (
    <div className={`graph-node${data.root ? ' graph-node-root' : ''}${n.missing ? ' graph-node-missing' : ''}`} title={n.ref}>
      <Handle type="target" position={Position.Left} />
      <KindIcon kind={n.kind} size={14} />
      <div className="graph-node-text">
        <span className="graph-node-name">{n.title || n.name}</span>
        <span className="graph-node-kind">
          {kindLabel(n.kind)}
          {n.type ? ` · ${n.type}` : ''}
          {n.missing ? ' · missing' : ''}
        </span>
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { entity: EntityNode };

/**
 * The relations around an entity as an interactive graph: depth, direction
 * and relation types to show; click a node to go to its entity.
 */
export function GraphView({ entityRef }: { entityRef: string }) {
  const navigate = useNavigate();
  const [depth, setDepth] = useState(2);
  const [direction, setDirection] = useState<'both' | 'out' | 'in'>('both');
  const [hidden, setHidden] = useState<string[]>([]);
  const { data, error, reload } = useLoad(`graph\0${entityRef}\0${depth}\0${direction}`, (c) => c.graph({ ref: entityRef, depth, direction }));
  const types = useMemo(() => [...new Set((data?.edges ?? []).map((e) => e.type))].sort(), [data]);
  const shown = useMemo(() => {
    if (!data) return undefined;
    const edges = data.edges.filter((e) => !hidden.includes(e.type));
    const linked = new Set([entityRef, ...edges.flatMap((e) => [e.source, e.target])]);
    return layout({ ...data, edges, nodes: data.nodes.filter((n) => linked.has(n.ref)) });
  }, [data, hidden, entityRef]);
  // Open on the entity and its neighbours at a readable size, not the whole
  // graph shrunk to fit: a depth-2 graph of a busy service is dozens of
  // nodes. The minimap and the controls reach the rest.
  const fitViewOptions = useMemo(() => {
    const near = new Set([entityRef, ...(shown?.edges ?? []).filter((e) => e.source === entityRef || e.target === entityRef).flatMap((e) => [e.source, e.target])]);
    return { nodes: [...near].map((id) => ({ id })), padding: 0.15, minZoom: 0.6, maxZoom: 1.1 };
  }, [shown, entityRef]);

  return (
    <div className="graph" data-testid="entity-graph">
      <div className="graph-controls">
        <label>
          Depth
          <select value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
            {[1, 2, 3, 4].map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Direction
          <select value={direction} onChange={(e) => setDirection(e.target.value as 'both' | 'out' | 'in')}>
            <option value="both">both ways</option>
            <option value="out">what it states</option>
            <option value="in">what points at it</option>
          </select>
        </label>
        <div className="graph-types" role="group" aria-label="Relation types">
          {types.map((t) => (
            <label key={t}>
              <input type="checkbox" checked={!hidden.includes(t)} onChange={() => setHidden(hidden.includes(t) ? hidden.filter((h) => h !== t) : [...hidden, t])} />
              {relationLabel(t)}
            </label>
          ))}
        </div>
        {data?.truncated && <span className="warn-text">Only the nearest {data.nodes.length} entities are shown.</span>}
      </div>
      {!data && error ? (
        <ErrorState title="Could not load the graph" error={error} onRetry={reload} />
      ) : !shown ? (
        <Loading />
      ) : (
        <div className="graph-canvas">
          <ReactFlow
            nodes={shown.nodes}
            edges={shown.edges}
            nodeTypes={nodeTypes}
            fitView
            fitViewOptions={fitViewOptions}
            minZoom={0.1}
            nodesConnectable={false}
            onNodeClick={(_, n) => {
              const path = n.id !== entityRef && entityPath(n.id);
              if (path) void navigate(`${path}?tab=graph`);
            }}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={18} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable ariaLabel="Overview of the whole graph" />
          </ReactFlow>
        </div>
      )}
    </div>
  );
}
