import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  Panel,
  Position,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
} from '@xyflow/react';
import ELK from 'elkjs/lib/elk.bundled.js';
import { criticalPath, neverReady, wouldCycle } from '../../src/client/graph.js';
import type { TaskView } from './wire-types.js';
import { statusLabel } from './format.js';
import { useBoard, useStore } from './store-context.js';

const NODE_W = 210;
const NODE_H = 58;
const elk = new ELK();

/** Where ELK put each task; laid out again only when the set of tasks or edges changes. */
type Positions = ReadonlyMap<string, { x: number; y: number }>;

/** The shape of the graph (ids and edges), which decides the layout; statuses do not move nodes. */
function shapeKey(tasks: readonly TaskView[]): string {
  return tasks.map((t) => `${t.id}<${t.dependsOn.join(',')}`).join('|');
}

async function layout(tasks: readonly TaskView[]): Promise<Positions> {
  const ids = new Set(tasks.map((t) => t.id));
  const started = performance.now();
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '18',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: tasks.map((t) => ({ id: t.id, width: NODE_W, height: NODE_H })),
    edges: tasks.flatMap((t) =>
      t.dependsOn
        .filter((d) => ids.has(d))
        .map((d) => ({ id: `${d}->${t.id}`, sources: [d], targets: [t.id] })),
    ),
  });
  // Read by bench/web.mjs: how long the last layout took.
  (window as unknown as { __maestroGraphLayoutMs?: number }).__maestroGraphLayoutMs =
    performance.now() - started;
  return new Map((graph.children ?? []).map((n) => [n.id, { x: n.x ?? 0, y: n.y ?? 0 }]));
}

/** Each status's colour (the columns' and the nodes' own), for the minimap. */
const STATUS_COLOURS: Record<string, string> = {
  pending: '#8b95a7',
  in_progress: 'var(--accent)',
  blocked: 'var(--bad)',
  in_review: 'var(--review)',
  completed: 'var(--ok)',
  cancelled: '#b3b8c2',
};

const statusOf = (node: Node): string => String((node.data as { status?: unknown }).status ?? '');

/**
 * **Fit**: fits the view to the whole graph when asked. The view fits itself on the first layout,
 * and again when the graph's area changes size (the page settling, the window resized) until the
 * person zooms or pans: a layout after a live event keeps their zoom and pan.
 */
function FitButton({ touched }: { touched: { current: boolean } }) {
  const flow = useReactFlow();
  const store = useStore();
  const fit = () => store.inBackground('graph fit', () => flow.fitView());
  useEffect(() => {
    const area = document.querySelector('.graph .react-flow');
    let frame = requestAnimationFrame(fit);
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      if (!touched.current) frame = requestAnimationFrame(fit);
    });
    if (area) observer.observe(area);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
    // Once per graph shown: later layouts do not fit.
  }, [flow, store]);
  return (
    <Panel position="top-right">
      <button
        type="button"
        className="chip"
        data-testid="graph-fit"
        title="Fit the whole graph in the view"
        onClick={() => {
          touched.current = false;
          fit();
        }}
      >
        Fit
      </button>
    </Panel>
  );
}

/**
 * The dependency graph: each task a node coloured by status, an edge from each dependency to the
 * task that waits for it; the critical path and tasks that can never be ready stand out. It follows
 * events live. Drawing an edge from A to B makes B depend on A (a cycle is refused before sending).
 */
export default function GraphView() {
  const store = useStore();
  const { tasks } = useBoard();
  const list = useMemo(() => [...tasks.values()], [tasks]);
  const key = useMemo(() => shapeKey(list), [list]);
  const [positions, setPositions] = useState<Positions | null>(null);
  /** Layouts done so far (tests wait for a new one after a change of shape). */
  const [layouts, setLayouts] = useState(0);
  const latest = useRef(list);
  /** The person has zoomed or panned since the view was last fitted. */
  const touched = useRef(false);
  latest.current = list;

  useEffect(() => {
    let live = true;
    store.inBackground('graph layout', () =>
      layout(latest.current).then((p) => {
        if (!live) return;
        setPositions(p);
        setLayouts((n) => n + 1);
      }),
    );
    return () => {
      live = false;
    };
  }, [store, key]);

  const critical = useMemo(() => new Set(criticalPath(tasks)), [tasks]);
  const stuck = useMemo(() => neverReady(tasks), [tasks]);

  const nodes: Node[] = useMemo(
    () =>
      list.map((t) => ({
        id: t.id,
        position: positions?.get(t.id) ?? { x: 0, y: 0 },
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
        data: {
          status: t.status,
          label: (
            <div className="graph-node-body" data-testid={`graph-node-${t.id}`} data-status={t.status}>
              <span className="task-id">{t.id}</span> <span className="muted">{statusLabel(t.status)}</span>
              <div className="graph-node-title">{t.title}</div>
            </div>
          ),
        },
        className: `graph-node node-${t.status}${critical.has(t.id) ? ' critical' : ''}${stuck.has(t.id) ? ' never-ready' : ''}`,
        style: { width: NODE_W, height: NODE_H },
        // Known sizes: the minimap draws a node only when it knows its size.
        width: NODE_W,
        height: NODE_H,
      })),
    [list, positions, critical, stuck],
  );
  const edges: Edge[] = useMemo(
    () =>
      list.flatMap((t) =>
        t.dependsOn
          .filter((d) => tasks.has(d))
          .map((d) => ({
            id: `${d}->${t.id}`,
            source: d,
            target: t.id,
            markerEnd: { type: MarkerType.ArrowClosed },
            className: critical.has(d) && critical.has(t.id) ? 'critical' : '',
          })),
      ),
    [list, tasks, critical],
  );

  const connect = (c: Connection) => {
    if (!c.source || !c.target) return;
    // The target waits for the source.
    if (wouldCycle(tasks, c.target, c.source)) {
      store.notify(
        'error',
        `${c.target} cannot depend on ${c.source}: ${c.source} already waits for ${c.target}, which would make a cycle.`,
      );
      return;
    }
    store.inBackground('task.dep.add', () => store.addDependency(c.target, c.source));
  };

  return (
    <div
      className="graph"
      data-testid="graph"
      data-laid-out={positions ? 'yes' : 'no'}
      data-layouts={layouts}
    >
      <div className="graph-legend">
        <span className="legend critical">critical path ({critical.size})</span>
        <span className="legend never-ready" data-testid="never-ready-count">
          never ready ({stuck.size})
        </span>
        <span className="muted small">
          Drag from a task&apos;s right handle to another to make it wait for it.
        </span>
      </div>
      {positions ? (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          onConnect={connect}
          onNodeClick={(_, node) => store.openTask(node.id)}
          nodesDraggable={false}
          onlyRenderVisibleElements
          // A zoom or pan by the person (not one the view makes itself, which has no event).
          onMoveStart={(event) => {
            if (event) touched.current = true;
          }}
          minZoom={0.05}
          proOptions={{ hideAttribution: true }}
          colorMode="system"
        >
          <Background />
          <Controls />
          <MiniMap
            pannable
            zoomable
            nodeColor={(n) => STATUS_COLOURS[statusOf(n)] ?? '#8b95a7'}
            nodeClassName={(n) => `minimap-${statusOf(n)}`}
          />
          <FitButton touched={touched} />
        </ReactFlow>
      ) : (
        <p className="muted">Laying out {list.length} tasks…</p>
      )}
    </div>
  );
}
