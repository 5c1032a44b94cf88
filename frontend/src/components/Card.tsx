import type { ReactNode } from 'react';
import type { LucideIcon } from 'lucide-react';

interface CardProps {
  title: string;
  icon?: LucideIcon;
  actions?: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}

export function Card({ title, icon: Icon, actions, className, testId, children }: CardProps) {
  return (
    <section className={`card ${className ?? ''}`} aria-label={title} data-testid={testId}>
      <header className="card-header">
        <h2 className="card-title">
          {Icon && <Icon size={15} aria-hidden="true" />}
          {title}
        </h2>
        {actions}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
