import { HashRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { PortalClient } from './api/client';
import { ClientProvider } from './api/context';
import { Boundary } from './components/Boundary';
import { CommandPalette } from './components/CommandPalette';
import { FollowLinks } from './components/Links';
import { NotificationsPage } from './components/NotificationCentre';
import { Sidebar } from './components/Sidebar';
import { CatalogPage } from './pages/Catalog';
import { CreatePage, RunPage, TemplatePage } from './pages/Create';
import { CreateActionsPage } from './pages/CreateActions';
import { CreateExtensionsPage } from './pages/CreateExtensions';
import { CreateFieldsPage } from './pages/CreateFields';
import { DocsPage } from './pages/Docs';
import { DocsPreviewPage } from './pages/DocsPreview';
import { EntityPage } from './pages/Entity';
import { HomePage } from './pages/Home';
import { ImportPage } from './pages/Import';
import { NotFoundPage } from './pages/NotFound';
import { PluginPagePage } from './pages/PluginPage';
import { ProblemsPage } from './pages/Problems';
import { QuestionPage, QuestionsPage } from './pages/Questions';
import { ScorecardPage, ScorecardsPage } from './pages/Scorecards';
import { SearchPage } from './pages/Search';
import { TemplateUpdatePage } from './pages/TemplateUpdate';
import { WorkbenchPage } from './pages/Workbench';
import { LocationsPage, SettingsPage } from './pages/Settings';

/** The routes inside the shell; tests render them under a MemoryRouter. */
export function AppRoutes() {
  const { pathname } = useLocation();
  return (
    <div className="app">
      <Boundary label="The sidebar" where="sidebar">
        <Sidebar />
      </Boundary>
      <main className="main" id="main">
        <Boundary label="This page" where="page" resetKeys={[pathname]}>
          <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/catalog" element={<CatalogPage />} />
          <Route path="/catalog/import" element={<ImportPage />} />
          <Route path="/catalog/:kind/:namespace/:name" element={<EntityPage />} />
          <Route path="/create" element={<CreatePage />} />
          <Route path="/create/templates/:namespace/:name" element={<TemplatePage />} />
          <Route path="/create/runs/:id" element={<RunPage />} />
          <Route path="/create/actions" element={<CreateActionsPage />} />
          <Route path="/create/extensions" element={<CreateExtensionsPage />} />
          <Route path="/create/templating-extensions" element={<CreateExtensionsPage />} />
          <Route path="/create/fields" element={<CreateFieldsPage />} />
          <Route path="/create/workbench" element={<WorkbenchPage />} />
          <Route path="/create/update" element={<TemplateUpdatePage />} />
          <Route path="/docs" element={<DocsPage />} />
          <Route path="/docs/preview" element={<DocsPreviewPage />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/locations" element={<LocationsPage />} />
          <Route path="/problems" element={<ProblemsPage />} />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/questions" element={<QuestionsPage />} />
          <Route path="/questions/:location/:slug" element={<QuestionPage />} />
          <Route path="/scorecards" element={<ScorecardsPage />} />
          <Route path="/scorecards/:namespace/:name" element={<ScorecardPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/plugins/:plugin/:page" element={<PluginPagePage />} />
          <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Boundary>
      </main>
      <Boundary label="The command palette" where="palette">
        <CommandPalette />
      </Boundary>
      <FollowLinks />
    </div>
  );
}

export function App({ client }: { client: PortalClient }) {
  return (
    <ClientProvider client={client}>
      <HashRouter>
        <AppRoutes />
      </HashRouter>
    </ClientProvider>
  );
}
