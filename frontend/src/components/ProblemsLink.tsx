import { Link } from 'react-router-dom';
import { CircleCheck, TriangleExclamationPoint } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import { plural } from '../format';
import '../styles/problems.css';

/**
 * "3 problems", a link to the Problems page, for Home and Locations; it
 * shows nothing until the count is known (or if it cannot be).
 */
export function ProblemsLink() {
  const { data } = useLoad('problems-count', (c) => c.problems({ limit: 1 }));
  if (!data) return null;
  return (
    <Link to="/problems" className={`card-action problems-link${data.total > 0 ? ' warn-text' : ''}`} data-testid="problems-link">
      {data.total > 0 ? <TriangleExclamationPoint size={13} aria-hidden="true" /> : <CircleCheck size={13} aria-hidden="true" />}{' '}
      {data.total > 0 ? plural(data.total, 'problem') : 'No problems'}
    </Link>
  );
}
