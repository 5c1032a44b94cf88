import type { ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';
import { Boundary } from './Boundary';

interface CardProps {
  title: string;
  icon?: LucideIcon;
  actions?: ReactNode;
  className?: string;
  testId?: string;
  /** What the card shows, for the log should it fail to draw; its title by default. */
  where?: string;
  children: ReactNode;
}

/** A titled card; an error while drawing its body stays in the body, under the title. */
export function Card({ title, icon: Icon, actions, className, testId, where, children }: CardProps) {
  return (
    <section className={`card ${className ?? ''}`} aria-label={title} data-testid={testId}>
      <header className="card-header">
        <h2 className="card-title">
          {Icon && <Icon size={15} aria-hidden="true" />}
          {title}
        </h2>
        {actions}
      </header>
      <div className="card-body">
        <Boundary label="This card" where={where ?? `card ${title}`}>
          {children}
        </Boundary>
      </div>
    </section>
  );
}
