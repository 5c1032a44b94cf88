// The layout of a plugin's radar block (callboard.plugin.v1.Radar as
// protojson): where each ring, quadrant and blip goes. Pure, so it is
// tested without a DOM; the plugin is another program, so every field is
// checked here.

export type RadarMove = 'RADAR_MOVE_NONE' | 'RADAR_MOVE_IN' | 'RADAR_MOVE_OUT' | 'RADAR_MOVE_NEW';

export interface PluginRadar {
  title: string;
  quadrants: { id: string; name: string }[];
  rings: { id: string; name: string; color: string }[];
  entries: PluginRadarEntry[];
  highlighted: string[];
}

export interface PluginRadarEntry {
  id: string;
  number: number;
  title: string;
  quadrantId: string;
  ringId: string;
  moved: RadarMove | number;
  description: string;
  url: string;
  links: { title: string; url: string }[];
  date: string;
}

export type Move = 'none' | 'in' | 'out' | 'new';

export interface Blip {
  entry: PluginRadarEntry;
  number: number;
  x: number;
  y: number;
  color: string;
  move: Move;
  ring: string;
  ringIndex: number;
  quadrant: number;
  highlighted: boolean;
}

export interface RadarLayout {
  size: number;
  /** Outer radius of each ring, from the centre out. */
  radii: number[];
  rings: { id: string; name: string; color: string }[];
  quadrants: { id: string; name: string }[];
  blips: Blip[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const byNumber: Move[] = ['none', 'in', 'out', 'new'];
const byName: Record<string, Move> = { RADAR_MOVE_NONE: 'none', RADAR_MOVE_IN: 'in', RADAR_MOVE_OUT: 'out', RADAR_MOVE_NEW: 'new' };

export function moveOf(m: unknown): Move {
  if (typeof m === 'number') return byNumber[m] ?? 'none';
  return byName[str(m)] ?? 'none';
}

export const moveLabel: Record<Move, string> = { none: '', in: 'moved in', out: 'moved out', new: 'new' };

// Ring colours when the file gives none: readable on light and dark.
const PALETTE = ['#3f9a4a', '#1f8fb0', '#b59a1a', '#c0564a', '#8a5cc2', '#c2578f', '#5c7ac2', '#7a7a7a'];

// Quadrant angles (SVG: y grows down), in the protocol's order: top
// right, top left, bottom left, bottom right.
const START = [-Math.PI / 2, -Math.PI, Math.PI / 2, 0];

/** Lays out a radar in a square of size; null when it is not one (not four quadrants, no ring). */
export function layoutRadar(radar: PluginRadar, size = 600): RadarLayout | null {
  const quadrants = arr<{ id: unknown; name: unknown }>(radar?.quadrants).map((q) => ({ id: str(q?.id), name: str(q?.name) || str(q?.id) }));
  const rings = arr<{ id: unknown; name: unknown; color: unknown }>(radar?.rings).map((r, i) => {
    const c = str(r?.color);
    return { id: str(r?.id), name: str(r?.name) || str(r?.id), color: /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(c) ? c : (PALETTE[i % PALETTE.length] ?? '#7a7a7a') };
  });
  if (quadrants.length !== 4 || rings.length === 0) return null;
  const outer = size / 2 - 8;
  const n = rings.length;
  // The inner ring a little wider, as radars draw it.
  const radii = rings.map((_, i) => (outer * (i + 1.5)) / (n + 0.5));
  const highlighted = new Set(arr<string>(radar?.highlighted).map(str));
  const cells = new Map<string, { q: number; r: number; entries: PluginRadarEntry[] }>();
  for (const e of arr<PluginRadarEntry>(radar?.entries)) {
    if (!e || typeof e !== 'object') continue;
    const q = quadrants.findIndex((x) => x.id === str(e.quadrantId));
    const r = rings.findIndex((x) => x.id === str(e.ringId));
    if (q < 0 || r < 0) continue;
    const cell = cells.get(`${q}/${r}`) ?? { q, r, entries: [] };
    cell.entries.push(e);
    cells.set(`${q}/${r}`, cell);
  }
  const blips: Blip[] = [];
  const c = size / 2;
  for (const { q, r, entries } of cells.values()) {
    const inner = r === 0 ? 0 : (radii[r - 1] ?? 0);
    const band = (radii[r] ?? outer) - inner;
    const start = START[q] ?? 0;
    const ring = rings[r] ?? { name: '', color: '#7a7a7a' };
    // Spread the cell's blips over the quadrant's angle, alternating
    // between two depths so neighbours do not touch.
    const pad = 0.12;
    entries.forEach((entry, i) => {
      const t = (i + 0.5) / entries.length;
      const angle = start + (Math.PI / 2) * (pad + t * (1 - 2 * pad));
      const depth = entries.length === 1 ? 0.55 : i % 2 === 0 ? 0.35 : 0.7;
      const radius = r === 0 ? Math.max(band * depth, 28) : inner + band * depth;
      blips.push({
        entry,
        number: typeof entry.number === 'number' && entry.number > 0 ? entry.number : 0,
        x: Math.round((c + radius * Math.cos(angle)) * 10) / 10,
        y: Math.round((c + radius * Math.sin(angle)) * 10) / 10,
        color: ring.color,
        move: moveOf(entry.moved),
        ring: ring.name,
        ringIndex: r,
        quadrant: q,
        highlighted: highlighted.has(str(entry.id)),
      });
    });
  }
  // Numbers the plugin did not give follow the legend's order.
  blips.sort((a, b) => a.quadrant - b.quadrant || a.ringIndex - b.ringIndex || a.number - b.number);
  let next = Math.max(0, ...blips.map((b) => b.number)) + 1;
  for (const b of blips) if (b.number === 0) b.number = next++;
  blips.sort((a, b) => a.number - b.number);
  return { size, radii, rings, quadrants, blips };
}
