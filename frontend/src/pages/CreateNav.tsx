import { NavLink } from 'react-router-dom';
import { Blocks, Braces, LayoutTemplate, TextCursorInput } from 'lucide-react';

/** The Create area's pages: templates, and the three pages for template authors. */
export const CREATE_PAGES = [
  { label: 'Templates', path: '/create', icon: LayoutTemplate },
  { label: 'Installed actions', path: '/create/actions', icon: Blocks },
  { label: 'Templating extensions', path: '/create/extensions', icon: Braces },
  { label: 'Field explorer', path: '/create/fields', icon: TextCursorInput },
];

/** Links between the Create area's pages, for a page header. */
export function CreateNav() {
  return (
    <nav className="segmented create-nav" aria-label="Create">
      {CREATE_PAGES.map(({ label, path, icon: Icon }) => (
        <NavLink key={path} to={path} end className={({ isActive }) => `segment${isActive ? ' active' : ''}`}>
          <Icon size={13} aria-hidden="true" /> {label}
        </NavLink>
      ))}
    </nav>
  );
}
