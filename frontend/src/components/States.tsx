import type { ReactNode } from 'react';
import { CircleExclamationPoint, Inbox, LoaderCircle, RefreshCw, type LucideIcon } from 'lucide-react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status">
      <LoaderCircle size={20} className="spin" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({ title = 'Something went wrong', error, onRetry }: { title?: string; error: Error; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <CircleExclamationPoint size={28} aria-hidden="true" />
      <h2>{title}</h2>
      <p className="state-message">{error.message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          <RefreshCw size={14} aria-hidden="true" /> Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ icon: Icon = Inbox, title, children }: { icon?: LucideIcon; title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <Icon size={28} aria-hidden="true" />
      <h2>{title}</h2>
      {children && <div className="state-message">{children}</div>}
    </div>
  );
}
