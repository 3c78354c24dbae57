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
/** Where each node's two handles are (React Flow's default handle, 8 px with its border). */
const HANDLE = 8;
const HANDLES = [
  {
    type: 'target' as const,
    position: Position.Left,
    x: -HANDLE / 2,
    y: NODE_H / 2 - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
  {
    type: 'source' as const,
    position: Position.Right,
    x: NODE_W - HANDLE / 2,
    y: NODE_H / 2 - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
];

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
 * **Fit**: fits the view to the whole graph when asked. Until the person zooms or pans, the view
 * also fits itself after every layout (the first, with whatever the board has loaded by then, and
 * each one after a task or dependency comes or goes) and when the graph's area changes size; after
 * a zoom or pan by the person, a layout keeps their view as it is.
 */
function FitButton({ touched, layouts }: { touched: { current: boolean }; layouts: number }) {
  const flow = useReactFlow();
  const store = useStore();
  // Queued by React Flow until it has the nodes of this render.
  const fit = () => store.inBackground('graph fit', () => flow.fitView());
  useEffect(() => {
    if (!touched.current) fit();
    // After each layout.
  }, [layouts]);
  useEffect(() => {
    const area = document.querySelector('.graph .react-flow');
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      if (!touched.current) frame = requestAnimationFrame(fit);
    });
    if (area) observer.observe(area);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
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
  const touch = () => {
    touched.current = true;
  };

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

  // A task is drawn once a layout has placed it (a new one a moment after it comes), never piled up
  // at the origin meanwhile.
  const placed = useMemo(() => list.filter((t) => positions?.has(t.id)), [list, positions]);
  const nodes: Node[] = useMemo(
    () =>
      placed.map((t) => ({
        id: t.id,
        position: positions!.get(t.id)!,
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
        // Known sizes and handles. React Flow measures a node only once it is drawn, and forgets
        // what it measured whenever the nodes change (these are rebuilt from the board and never
        // carry its measurements). Without them, a fit waits for every node to be measured, which
        // never happens with nodes out of view (not drawn), and a connection dragged from a node
        // not measured again yet does not start. The minimap also draws only nodes of known size.
        width: NODE_W,
        height: NODE_H,
        measured: { width: NODE_W, height: NODE_H },
        handles: HANDLES,
      })),
    [placed, positions, critical, stuck],
  );
  const edges: Edge[] = useMemo(
    () =>
      placed.flatMap((t) =>
        t.dependsOn
          .filter((d) => positions!.has(d))
          .map((d) => ({
            id: `${d}->${t.id}`,
            source: d,
            target: t.id,
            markerEnd: { type: MarkerType.ArrowClosed },
            className: critical.has(d) && critical.has(t.id) ? 'critical' : '',
          })),
      ),
    [placed, positions, critical],
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
          // A zoom or pan by the person with the mouse (one the view makes itself has no event).
          onMoveStart={(event) => {
            if (event) touch();
          }}
          minZoom={0.05}
          proOptions={{ hideAttribution: true }}
          colorMode="system"
        >
          <Background />
          <Controls onZoomIn={touch} onZoomOut={touch} onFitView={() => (touched.current = false)} />
          {/* A pan or zoom in the minimap is the person's too. */}
          <div className="graph-minimap" onPointerDown={touch} onWheel={touch}>
            <MiniMap
              pannable
              zoomable
              nodeColor={(n) => STATUS_COLOURS[statusOf(n)] ?? '#8b95a7'}
              nodeClassName={(n) => `minimap-${statusOf(n)}`}
            />
          </div>
          <FitButton touched={touched} layouts={layouts} />
        </ReactFlow>
      ) : (
        <p className="muted">Laying out {list.length} tasks…</p>
      )}
    </div>
  );
}
