import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from 'react-error-boundary';
import { App } from './App';
import { createClient } from './api/client';
import { ShellError } from './components/Boundary';
import { installErrorReporting, reportError, rootErrorOptions } from './errors';
import { setLanguage } from './locale';
import { initTheme } from './theme';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/pages.css';
import './styles/entity.css';

// How long the first paint waits for the Go side's answer on the user's
// language; past it the browser's languages are used.
const LANGUAGE_WAIT_MS = 1500;

async function start() {
  initTheme();
  const client = createClient();
  installErrorReporting((e) => client.reportFrontendError(e));
  const info = await Promise.race([client.info().catch(() => undefined), new Promise<undefined>((r) => setTimeout(r, LANGUAGE_WAIT_MS))]);
  document.documentElement.lang = setLanguage(info?.language);

  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root, rootErrorOptions).render(
    <StrictMode>
      <ErrorBoundary FallbackComponent={ShellError} onError={(error, info) => reportError('boundary', error, 'shell', info.componentStack ?? undefined)}>
        <App client={client} />
      </ErrorBoundary>
    </StrictMode>,
  );
}

void start();
