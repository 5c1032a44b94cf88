import type { ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';

/** A page that is not built yet, saying so and what it will do. */
export function Placeholder({ icon: Icon, title, children }: { icon: LucideIcon; title: string; children: ReactNode }) {
  return (
    <div className="placeholder">
      <div className="placeholder-icon">
        <Icon size={28} aria-hidden="true" />
      </div>
      <h1 className="page-title">{title}</h1>
      <p className="placeholder-soon">Coming in a later release</p>
      <p className="placeholder-text">{children}</p>
    </div>
  );
}
