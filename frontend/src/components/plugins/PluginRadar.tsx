import { useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { linkTarget, PluginLink } from './PluginLink';
import { PluginMarkdown } from './PluginMarkdown';
import { layoutRadar, moveLabel, type Blip, type Move, type PluginRadar as Radar } from './radarModel';

/** A blip's shape: a circle, a triangle pointing in or out, or a circle in a ring when new. */
function Shape({ blip }: { blip: Blip }) {
  const { x, y, color, move } = blip;
  const r = 10;
  if (move === 'in' || move === 'out') {
    // Pointing towards the centre when it moved in, away when out.
    const c = blip.quadrant < 2 ? 1 : -1;
    const dir = move === 'in' ? c : -c;
    const tip = y + dir * r * 1.3;
    const base = y - dir * r * 0.8;
    return <path d={`M ${x} ${tip} L ${x - r * 1.1} ${base} L ${x + r * 1.1} ${base} Z`} fill={color} />;
  }
  return (
    <>
      {move === 'new' && <circle cx={x} cy={y} r={r + 4} fill="none" stroke={color} strokeWidth={2} />}
      <circle cx={x} cy={y} r={r} fill={color} />
    </>
  );
}

const describe = (b: Blip) => [`${b.number}. ${b.entry.title}`, b.ring, moveLabel[b.move]].filter(Boolean).join(', ');

/**
 * A plugin's technology radar: four quadrants, rings from the centre out,
 * numbered blips (triangles moved in or out, a ring around new ones), a
 * legend per quadrant. Every blip is a tab stop; hovering or focusing it
 * shows its title and description, Enter or a click opens its address.
 */
export function PluginRadar({ radar }: { radar: Radar }) {
  const navigate = useNavigate();
  const layout = layoutRadar(radar);
  const [active, setActive] = useState<string | null>(null);
  if (!layout) {
    return (
      <p className="banner banner-warn plugin-notice" role="note">
        This radar cannot be drawn: it needs four quadrants and at least one ring.
      </p>
    );
  }
  const { size, radii, rings, quadrants, blips } = layout;
  const c = size / 2;
  const shown = blips.find((b) => b.entry.id === active) ?? blips.find((b) => b.highlighted);
  const open = (b: Blip) => {
    const target = linkTarget(b.entry.url);
    if (!target) return;
    if ('route' in target) void navigate(target.route);
    else if (window.runtime) window.runtime.BrowserOpenURL(target.href);
    else window.open(target.href, '_blank', 'noopener,noreferrer');
  };
  const onKey = (e: KeyboardEvent, b: Blip) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(b);
    } else if (e.key === 'Escape') {
      setActive(null);
    }
  };
  const legend = (q: number) => (
    <div className="radar-legend" key={q} data-testid="radar-legend">
      <h3>{quadrants[q]?.name}</h3>
      {rings.map((ring, r) => {
        const inRing = blips.filter((b) => b.quadrant === q && b.ringIndex === r);
        if (inRing.length === 0) return null;
        return (
          <div key={ring.id}>
            <h4 style={{ color: ring.color }}>{ring.name}</h4>
            <ol>
              {inRing.map((b) => (
                <li key={b.entry.id} value={b.number} className={b.entry.id === shown?.entry.id ? 'radar-legend-active' : undefined}>
                  <PluginLink url={b.entry.url}>{b.entry.title}</PluginLink>
                  {b.move !== 'none' && <span className="muted"> · {moveLabel[b.move as Move]}</span>}
                </li>
              ))}
            </ol>
          </div>
        );
      })}
    </div>
  );
  return (
    <div className="radar" data-testid="plugin-radar">
      {radar.title && <h3 className="plugin-heading">{radar.title}</h3>}
      <div className="radar-body">
        <div className="radar-legends">{[1, 2].map(legend)}</div>
        <svg
          viewBox={`0 0 ${size} ${size}`}
          className="radar-svg"
          role="group"
          aria-label={`${radar.title || 'Radar'}: ${blips.length} entries in ${quadrants.map((q) => q.name).join(', ')}`}
        >
          {[...radii].reverse().map((r, i) => (
            <circle key={r} cx={c} cy={c} r={r} className={`radar-ring radar-ring-${(radii.length - 1 - i) % 2}`} />
          ))}
          <line x1={c} y1={4} x2={c} y2={size - 4} className="radar-axis" />
          <line x1={4} y1={c} x2={size - 4} y2={c} className="radar-axis" />
          {rings.map((ring, i) => (
            <text key={ring.id} x={c + 6} y={c - (radii[i] ?? 0) + 16} className="radar-ring-name" aria-hidden="true">
              {ring.name}
            </text>
          ))}
          {blips.map((b) => {
            const link = linkTarget(b.entry.url);
            return (
              <g
                key={b.entry.id}
                className={`radar-blip${b.highlighted ? ' radar-blip-highlighted' : ''}${link ? ' radar-blip-link' : ''}`}
                tabIndex={0}
                role={link ? 'link' : 'img'}
                aria-label={describe(b)}
                data-testid="radar-blip"
                data-entry={b.entry.id}
                onMouseEnter={() => setActive(b.entry.id)}
                onFocus={() => setActive(b.entry.id)}
                onClick={() => open(b)}
                onKeyDown={(e) => onKey(e, b)}
              >
                {b.highlighted && <circle cx={b.x} cy={b.y} r={17} className="radar-halo" />}
                <Shape blip={b} />
                <text x={b.x} y={b.y + 4} className="radar-number" aria-hidden="true">
                  {b.number}
                </text>
              </g>
            );
          })}
        </svg>
        <div className="radar-legends">{[0, 3].map(legend)}</div>
      </div>
      <div className="radar-detail" aria-live="polite" data-testid="radar-detail">
        {shown ? (
          <>
            <h4>
              {shown.number}. {shown.entry.title} <span className="badge badge-neutral">{shown.ring}</span>{' '}
              {shown.move !== 'none' && <span className="badge badge-info">{moveLabel[shown.move]}</span>}
            </h4>
            {shown.entry.description && <PluginMarkdown text={shown.entry.description} />}
            {Array.isArray(shown.entry.links) && shown.entry.links.length > 0 && (
              <ul className="link-list plugin-links">
                {shown.entry.links.map((l, i) => (
                  <li key={i}>
                    <PluginLink url={l?.url}>{l?.title || l?.url}</PluginLink>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <p className="muted">Point at or focus a blip to read about it; Enter opens it.</p>
        )}
      </div>
      <p className="radar-key muted" aria-hidden="true">
        ● no change · ▲ moved in · ▼ moved out · ◎ new
      </p>
    </div>
  );
}
