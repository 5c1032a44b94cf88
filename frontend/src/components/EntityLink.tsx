import { Link } from 'react-router-dom';
import { displayRef, entityPath } from '../api/refs';

/** A link to the entity page of ref; plain text when ref is not a full ref. */
export function EntityLink({ entityRef, children }: { entityRef: string; children?: string }) {
  const path = entityPath(entityRef);
  const label = children ?? displayRef(entityRef);
  if (!path) return <span>{label}</span>;
  return (
    <Link to={path} title={entityRef}>
      {label}
    </Link>
  );
}
