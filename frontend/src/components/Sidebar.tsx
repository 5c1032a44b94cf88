import { NavLink } from 'react-router-dom';
import { BookOpen, FolderGit2, Gauge, House, LayoutGrid, MessageCircleQuestionMark, Moon, Search, Settings, Sparkles, Sun, TriangleExclamationPoint, type LucideIcon } from 'lucide-react';
import { Logo } from './Logo';
import { NotificationBell } from './NotificationCentre';
import { UpdateNotice } from './UpdateNotice';
import { pluginIcon, usePluginPages } from './plugins/pluginPages';
import { toggleTheme, useTheme } from '../theme';

interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  id: string;
}

const main: NavItem[] = [
  { to: '/', label: 'Home', icon: House, id: 'home' },
  { to: '/catalog', label: 'Catalog', icon: LayoutGrid, id: 'catalog' },
  { to: '/create', label: 'Create', icon: Sparkles, id: 'create' },
  { to: '/docs', label: 'Docs', icon: BookOpen, id: 'docs' },
  { to: '/search', label: 'Search', icon: Search, id: 'search' },
  { to: '/questions', label: 'Questions', icon: MessageCircleQuestionMark, id: 'questions' },
  { to: '/locations', label: 'Locations', icon: FolderGit2, id: 'locations' },
  { to: '/scorecards', label: 'Scorecards', icon: Gauge, id: 'scorecards' },
  { to: '/problems', label: 'Problems', icon: TriangleExclamationPoint, id: 'problems' },
];

const settings: NavItem = { to: '/settings', label: 'Settings', icon: Settings, id: 'settings' };

function Item({ item }: { item: NavItem }) {
  const Icon = item.icon;
  return (
    <li>
      <NavLink
        to={item.to}
        end={item.to === '/'}
        className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}
        data-testid={`nav-${item.id}`}
        title={item.label}
      >
        <Icon size={16} aria-hidden="true" />
        <span>{item.label}</span>
      </NavLink>
    </li>
  );
}

export function Sidebar() {
  const { theme } = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  const pages = usePluginPages().map((p): NavItem => ({ to: p.path, label: p.title, icon: pluginIcon(p.icon), id: `plugin-${p.plugin}-${p.id}` }));
  return (
    <aside className="sidebar">
      <div className="brand">
        <Logo size={26} />
        <span className="brand-name">Callboard</span>
        <NotificationBell />
      </div>
      <nav aria-label="Main" className="nav">
        <ul>
          {main.map((item) => (
            <Item key={item.id} item={item} />
          ))}
        </ul>
        {pages.length > 0 && (
          <ul aria-label="Plugins" className="nav-plugins" data-testid="nav-plugins">
            {pages.map((item) => (
              <Item key={item.id} item={item} />
            ))}
          </ul>
        )}
        <ul className="nav-bottom">
          <Item item={settings} />
        </ul>
      </nav>
      <UpdateNotice />
      <div className="sidebar-footer">
        <button
          type="button"
          className="icon-button"
          onClick={toggleTheme}
          data-testid="theme-toggle"
          aria-label={`Switch to ${next} theme`}
          title={`Switch to ${next} theme`}
        >
          {theme === 'dark' ? <Sun size={16} aria-hidden="true" /> : <Moon size={16} aria-hidden="true" />}
        </button>
        <span className="sidebar-footer-note">{theme === 'dark' ? 'Dark' : 'Light'} theme</span>
      </div>
    </aside>
  );
}
