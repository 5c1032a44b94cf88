import { Search } from 'lucide-react';
import { Placeholder } from '../components/Placeholder';

export function SearchPage() {
  return (
    <div className="page">
      <Placeholder icon={Search} title="Search">
        Search will find anything across the catalog, TechDocs and software templates from one box. Until then, the
        Catalog page filters entities by name, title and description.
      </Placeholder>
    </div>
  );
}
