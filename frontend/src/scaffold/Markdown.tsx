import { Markdown as Render } from 'markdown-to-jsx/react';
import type { ReactNode } from 'react';
import { ExternalLink } from '../components/ExternalLink';

// Templates write descriptions in Markdown, as Backstage renders them. Raw
// HTML stays text; links leave the app the way every external link does.
const options = {
  disableParsingRawHTML: true,
  overrides: { a: { component: ({ href, children }: { href: string; children: ReactNode }) => <ExternalLink href={href}>{children}</ExternalLink> } },
};

export function Markdown({ text, id, className }: { text: string; id?: string; className?: string }) {
  return (
    <div id={id} className={className ? `scaffold-markdown ${className}` : 'scaffold-markdown'}>
      <Render options={options}>{text}</Render>
    </div>
  );
}
