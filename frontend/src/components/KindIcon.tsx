import { Box, Database, FileCode, Globe, Layers, MapPin, Plug, Shapes, Sparkles, User, Users, type LucideIcon } from 'lucide-react';

const icons: Record<string, LucideIcon> = {
  component: Box,
  api: Plug,
  system: Layers,
  domain: Globe,
  resource: Database,
  group: Users,
  user: User,
  location: MapPin,
  template: FileCode,
  airesource: Sparkles,
};

function kindIcon(kind: string): LucideIcon {
  return icons[kind.toLowerCase()] ?? Shapes;
}

export function KindIcon({ kind, size = 16 }: { kind: string; size?: number }) {
  const Icon = kindIcon(kind);
  // eslint-disable-next-line react-hooks/static-components -- a module-level icon looked up by kind, not a component made here
  return <Icon size={size} aria-hidden="true" className="kind-icon" />;
}
