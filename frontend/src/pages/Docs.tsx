import { BookOpen } from 'lucide-react';
import { Placeholder } from '../components/Placeholder';

export function DocsPage() {
  return (
    <div className="page">
      <Placeholder icon={BookOpen} title="Docs">
        Docs will render the TechDocs that live next to your code, so each entity's documentation is one click from
        its catalog page, offline too.
      </Placeholder>
    </div>
  );
}
