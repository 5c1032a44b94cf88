import { describe, expect, it } from 'vitest';
import { layoutRadar, moveOf, type PluginRadar } from './radarModel';

const radar = (extra: Partial<PluginRadar> = {}): PluginRadar => ({
  title: 'R',
  quadrants: [
    { id: 'tr', name: 'Top right' },
    { id: 'tl', name: 'Top left' },
    { id: 'bl', name: 'Bottom left' },
    { id: 'br', name: 'Bottom right' },
  ],
  rings: [
    { id: 'adopt', name: 'Adopt', color: '#00ff00' },
    { id: 'hold', name: 'Hold', color: 'red; background: url(x)' },
  ],
  entries: [
    { id: 'a', number: 1, title: 'A', quadrantId: 'tr', ringId: 'adopt', moved: 'RADAR_MOVE_IN', description: '', url: '', links: [], date: '' },
    { id: 'b', number: 2, title: 'B', quadrantId: 'bl', ringId: 'hold', moved: 3, description: '', url: '', links: [], date: '' },
    { id: 'c', number: 0, title: 'C', quadrantId: 'bl', ringId: 'hold', moved: 'RADAR_MOVE_SIDEWAYS' as never, description: '', url: '', links: [], date: '' },
    { id: 'stray', number: 9, title: 'Stray', quadrantId: 'nowhere', ringId: 'adopt', moved: 0, description: '', url: '', links: [], date: '' },
  ],
  highlighted: ['b'],
  ...extra,
});

describe('layoutRadar', () => {
  it('puts each blip in its quadrant and ring', () => {
    const l = layoutRadar(radar(), 600)!;
    expect(l.radii).toHaveLength(2);
    const [a, b, c] = l.blips;
    const dist = (x: number, y: number) => Math.hypot(x - 300, y - 300);
    // A: top right, inner ring.
    expect(a!.x).toBeGreaterThan(300);
    expect(a!.y).toBeLessThan(300);
    expect(dist(a!.x, a!.y)).toBeLessThan(l.radii[0]!);
    // B and C: bottom left, outer ring.
    for (const blip of [b!, c!]) {
      expect(blip.x).toBeLessThan(300);
      expect(blip.y).toBeGreaterThan(300);
      expect(dist(blip.x, blip.y)).toBeGreaterThan(l.radii[0]!);
      expect(dist(blip.x, blip.y)).toBeLessThan(l.radii[1]!);
    }
  });

  it('reads moves by name or number, numbers what the plugin did not, highlights and drops strays', () => {
    const l = layoutRadar(radar())!;
    expect(l.blips.map((b) => [b.entry.id, b.number, b.move, b.highlighted])).toEqual([
      ['a', 1, 'in', false],
      ['b', 2, 'new', true],
      ['c', 3, 'none', false],
    ]);
    expect(moveOf(1)).toBe('in');
    expect(moveOf('RADAR_MOVE_OUT')).toBe('out');
    expect(moveOf(undefined)).toBe('none');
  });

  it('keeps only colours that are colours', () => {
    const l = layoutRadar(radar())!;
    expect(l.rings.map((r) => r.color)).toEqual(['#00ff00', '#1f8fb0']);
  });

  it('refuses what is no radar', () => {
    expect(layoutRadar(radar({ quadrants: [] }))).toBeNull();
    expect(layoutRadar(radar({ rings: [] }))).toBeNull();
    expect(layoutRadar(null as unknown as PluginRadar)).toBeNull();
  });
});
