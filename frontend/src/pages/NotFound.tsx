import { Link } from 'react-router-dom';
import { SearchX } from 'lucide-react';
import { EmptyState } from '../components/States';

export function NotFoundPage() {
  return (
    <div className="page">
      <EmptyState icon={SearchX} title="Page not found">
        <p>Callboard has no page at this address.</p>
        <Link to="/" className="button">
          Go home
        </Link>
      </EmptyState>
    </div>
  );
}
